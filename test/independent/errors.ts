// The binding's error object (binding, Errors): a 4xx with {"Error": {Code, IE?, Detail}}.
// A rejected message changes no state and causes no message: handlers validate fully before
// touching the store, and throw DpeError from validation only.
import type { ServerResponse } from 'node:http';

export type ErrorCode =
  | 'MALFORMED_JSON' | 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE' | 'UNKNOWN_MESSAGE_TYPE'
  | 'MISSING_IE' | 'INVALID_IE' | 'MISSING_IDENTITY' | 'UNAUTHORIZED'
  // Not binding codes: answers to requests that are no DPE message at all (unknown path, method).
  | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED'
  // Fault unauthorized-as-forbidden only.
  | 'FORBIDDEN';

const STATUS: Record<ErrorCode, number> = {
  MALFORMED_JSON: 400, UNSUPPORTED_MEDIA_TYPE: 415, PAYLOAD_TOO_LARGE: 413,
  UNKNOWN_MESSAGE_TYPE: 400, MISSING_IE: 400, INVALID_IE: 400, MISSING_IDENTITY: 400,
  UNAUTHORIZED: 401, NOT_FOUND: 404, METHOD_NOT_ALLOWED: 405, FORBIDDEN: 403,
};

/** How error answers are written: the faults and freedoms that change them. */
export interface ErrorStyle { withIe: boolean; extraFields?: boolean; forbiddenForUnauthorized?: boolean }

let requestCounter = 0;

export class DpeError extends Error {
  constructor(readonly code: ErrorCode, readonly detail: string, readonly ie?: string, readonly status = STATUS[code]) {
    super(`${code}: ${detail}`);
  }
}

export function sendError(res: ServerResponse, err: DpeError, style: ErrorStyle): void {
  const forbidden = err.code === 'UNAUTHORIZED' && style.forbiddenForUnauthorized === true;
  const code: ErrorCode = forbidden ? 'FORBIDDEN' : err.code;
  const body: Record<string, string | number> = { Code: code };
  if (err.ie !== undefined && style.withIe) body.IE = err.ie;
  body.Detail = style.extraFields ? `The request was rejected (${code.toLowerCase().replace(/_/g, ' ')}): ${err.detail}.` : err.detail;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (style.extraFields) {
    requestCounter += 1;
    body.Status = forbidden ? 403 : err.status;
    body['Request-ID'] = `req-${requestCounter}`;
    headers['x-request-id'] = `req-${requestCounter}`;
  }
  if (code === 'UNAUTHORIZED') headers['www-authenticate'] = 'Bearer realm="dpe-2"';
  if (err.code === 'METHOD_NOT_ALLOWED') headers.allow = 'POST';
  res.writeHead(forbidden ? 403 : err.status, headers);
  res.end(JSON.stringify({ Error: body }));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
