/**
 * The one catalog of error codes of the binding (docs/binding.md, "Errors"), with the HTTP
 * status each is answered with. A rejected message changes no state.
 */
import type { Problem } from '../catalog/validate';

export const ERROR_CODES = {
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNKNOWN_MESSAGE_TYPE: 400,
  MISSING_IE: 400,
  INVALID_IE: 400,
  MISSING_IDENTITY: 400,
  UNAUTHORIZED: 401,
  /** Project extensions of the binding: unknown path, wrong method, unknown Client ID. */
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  /** Project extensions (docs/security.md): a credential that does not allow this, a definition another SP owns. */
  FORBIDDEN: 403,
  CONFLICT: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  Error: { Code: ErrorCode; IE?: string; Detail: string };
}

export class DpeError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly ie?: string,
    readonly status: number = ERROR_CODES[code],
  ) {
    super(`${code}${ie ? ` (${ie})` : ''}: ${detail}`);
  }

  static fromProblem(p: Problem): DpeError {
    const code: ErrorCode = p.code === 'MALFORMED' ? 'INVALID_IE' : p.code;
    return new DpeError(code, `${p.message}: ${p.ie ? `IE ${p.ie} ` : ''}${p.detail} (clause ${p.clause})`, p.ie);
  }

  /** The binding's Error object: a listed Code, the IE at fault when there is one (binding.error-object). */
  toBody(): ErrorBody {
    return { Error: { Code: this.code, ...(this.ie ? { IE: this.ie } : {}), Detail: this.detail } };
  }
}

/** Any exception of a handler as an answer: a catalog problem names its IE; anything else is a 500. */
export function toDpeError(e: unknown): DpeError {
  if (e instanceof DpeError) return e;
  const [problem] = (e as { problems?: Problem[] }).problems ?? [];
  if (problem) return DpeError.fromProblem(problem);
  return new DpeError('INVALID_IE', `internal error: ${(e as Error).message}`, undefined, 500);
}
