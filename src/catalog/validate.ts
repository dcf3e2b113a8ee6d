/**
 * Validation of DPE messages against the catalog. Every problem names the message, the IE and
 * the clause, so a failure report reads like "DPE_Group_Release: IE Group_ID is missing
 * (mandatory, clause 6.2.3.3)".
 */
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Direction, MessageDef } from './messages';
import { MESSAGES } from './messages';
import type { ErratumReadings } from './schemas';
import { messageSchema } from './schemas';

export type ProblemCode = 'MALFORMED' | 'UNKNOWN_MESSAGE_TYPE' | 'MISSING_IE' | 'INVALID_IE';

export interface Problem {
  code: ProblemCode;
  /** Message-Type as received (or the expected one, when the body has none). */
  message: string;
  ie?: string;
  clause: string;
  detail: string;
}

export class ProblemError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(describeProblem).join('; '));
  }
}

export function describeProblem(p: Problem): string {
  const ie = p.ie ? ` IE ${p.ie}` : '';
  return `${p.message}:${ie} ${p.detail} (clause ${p.clause})`;
}

/**
 * Validators for every catalog message under one set of erratum readings. Each schema is compiled
 * when its message is first checked: a run that sees a few message types (most suite runs of the
 * test layers) does not pay for compiling all of them.
 */
export class MessageValidator {
  private readonly compiled = new Map<string, ValidateFunction>();
  // the schemas are derived from the catalog and checked against JSON Schema's meta-schema by
  // test/unit/catalog.test.ts: checking them again would compile the meta-schema in every process
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });

  constructor(readonly readings: ErratumReadings = {}) {}

  private validatorOf(def: MessageDef): ValidateFunction {
    let v = this.compiled.get(def.key);
    if (!v) this.compiled.set(def.key, (v = this.ajv.compile(messageSchema(def, this.readings))));
    return v;
  }

  /**
   * Validates `body` as a message travelling in `direction`; `expectedKey` pins the message
   * when the context already says which one it must be (e.g. the answer to a query).
   */
  check(body: unknown, direction: Direction, expectedKey?: string): { def?: MessageDef; problems: Problem[] } {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      const name = expectedKey ?? 'message';
      return { problems: [{ code: 'MALFORMED', message: name, clause: 'binding', detail: 'body is not a JSON object' }] };
    }
    const type = (body as Record<string, unknown>)['Message-Type'];
    const def = expectedKey
      ? MESSAGES.find((m) => m.key === expectedKey)
      : MESSAGES.find((m) => m.type === type && m.direction === direction);
    if (!def) {
      const detail =
        type === undefined
          ? 'is missing (mandatory)'
          : `is ${JSON.stringify(type)}, not a message the binding sends ${direction.replace(/-/g, ' ')}`;
      return {
        problems: [
          {
            code: type === undefined ? 'MISSING_IE' : 'UNKNOWN_MESSAGE_TYPE',
            message: typeof type === 'string' ? type : 'message',
            ie: 'Message-Type',
            clause: 'binding',
            detail,
          },
        ],
      };
    }
    const validate = this.validatorOf(def);
    if (validate(body)) return { def, problems: [] };
    return { def, problems: toProblems(def, validate.errors ?? [], body as Record<string, unknown>, this.readings) };
  }

  /** Like check(), but throws a ProblemError naming message, IE and clause. */
  assert(body: unknown, direction: Direction, expectedKey?: string): MessageDef {
    const { def, problems } = this.check(body, direction, expectedKey);
    if (problems.length || !def) throw new ProblemError(problems);
    return def;
  }
}

function toProblems(def: MessageDef, errors: ErrorObject[], body: Record<string, unknown>, readings: ErratumReadings): Problem[] {
  const problems = new Map<string, Problem>();
  const add = (p: Problem) => {
    const k = `${p.code}:${p.ie}`;
    if (!problems.has(k)) problems.set(k, p);
  };
  for (const e of errors) {
    // only a top-level "required" is a missing IE; a nested one (Policy without Period) is an invalid IE
    if (e.keyword === 'required' && e.instancePath === '') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      // a missing IE with a second, lenient spelling is reported once, under its table name
      const spec = def.ies.find((d) => d.name === missing || d.lenient?.name === missing);
      const alt = spec?.lenient?.name && readings[spec.lenient.erratum] === 'lenient' ? spec.lenient : undefined;
      const detail = alt ? `is missing (mandatory; ${alt.name} also accepted, erratum ${alt.erratum})` : 'is missing (mandatory)';
      add({ code: 'MISSING_IE', message: def.type, ie: spec?.name ?? missing, clause: def.clause, detail });
      continue;
    }
    const ie = topLevelIe(e.instancePath);
    if (ie) {
      const spec = def.ies.find((d) => d.name === ie || d.lenient?.name === ie);
      const expected = spec ? describeType(spec) : 'a valid value';
      add({
        code: 'INVALID_IE',
        message: def.type,
        ie,
        clause: def.clause,
        detail: `is ${JSON.stringify(body[ie])}, expected ${expected}`,
      });
    }
  }
  // both spellings of one IE at once (oneOf fails without a required error)
  if (problems.size === 0) {
    for (const ie of def.ies) {
      if (ie.lenient?.name && ie.name in body && ie.lenient.name in body) {
        add({
          code: 'INVALID_IE',
          message: def.type,
          ie: ie.name,
          clause: def.clause,
          detail: `is present under both spellings ${ie.name} and ${ie.lenient.name}`,
        });
      }
    }
  }
  if (problems.size === 0) {
    add({ code: 'INVALID_IE', message: def.type, clause: def.clause, detail: errors.map((e) => e.message).join(', ') });
  }
  return [...problems.values()];
}

function topLevelIe(instancePath: string): string | undefined {
  const seg = instancePath.split('/')[1];
  return seg === undefined || seg === '' ? undefined : seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function describeType(ie: MessageDef['ies'][number]): string {
  if (ie.value !== undefined) return JSON.stringify(ie.value);
  const t = {
    String: 'a non-empty string',
    Integer: 'an integer',
    Bag: 'a bag (array) of strings',
    Policy: 'a policy object {"Trigger": "on-change" | "periodic", "Period"?: seconds}',
  }[ie.type];
  return ie.nullable ? `${t} or null` : t;
}
