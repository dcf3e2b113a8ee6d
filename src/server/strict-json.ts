/**
 * Strict reading of a request body as one JSON object: valid UTF-8 only, nesting bounded, every
 * number finite and every integer within the safe range (2^53 - 1), so that no value is
 * silently changed between what a client sent and what the server keeps or relays.
 */
import { messageTypeOf } from '../catalog/protocol';
import { DpeError } from './errors';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function parseStrictJson(raw: Buffer, maxDepth: number): Record<string, unknown> {
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw new DpeError('MALFORMED_JSON', 'the body is not valid UTF-8 (binding: JSON bodies)');
  }
  let body: unknown;
  try {
    body = JSON.parse(text); // V8's parser is iterative: deep nesting cannot overflow the stack here
  } catch (e) {
    throw new DpeError('MALFORMED_JSON', `the body is not JSON: ${(e as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DpeError('MALFORMED_JSON', 'the body must be a JSON object');
  }
  checkValues(body as Record<string, unknown>, maxDepth);
  return body as Record<string, unknown>;
}

/** Walks every value without recursion; a fault is named by the top-level IE that holds it. */
function checkValues(body: Record<string, unknown>, maxDepth: number): void {
  const message = messageTypeOf(body) ?? 'message';
  const fault = (ie: string, what: string) => new DpeError('INVALID_IE', `${message}: IE ${ie} ${what} (clause binding, input limits)`, ie);
  const stack: Array<{ v: unknown; ie: string; depth: number }> = Object.entries(body).map(([ie, v]) => ({ v, ie, depth: 2 }));
  while (stack.length) {
    const { v, ie, depth } = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw fault(ie, 'holds a number beyond the range of a double (e.g. 1e400)');
      if (Number.isInteger(v) && !Number.isSafeInteger(v))
        throw fault(ie, `holds an integer beyond ±(2^53 - 1), which cannot be kept exactly`);
    } else if (v !== null && typeof v === 'object') {
      if (depth > maxDepth) throw fault(ie, `nests deeper than ${maxDepth} levels`);
      for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: x, ie, depth: depth + 1 });
    }
  }
}
