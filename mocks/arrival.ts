/**
 * What the mock network makes of a message the target sent it: the body, every problem it has
 * against the message catalog and the binding (size, JSON, Content-Type), and the trace note of
 * how the party reacted. A malformed message is recorded with its problems, never refused.
 */
import type { Direction } from '../src/catalog/messages';
import { messageTypeOf } from '../src/catalog/protocol';
import type { MessageValidator, Problem } from '../src/catalog/validate';
import type { Reaction } from './sp-faults';

export const MAX_BODY = 256 * 1024;
/** Header with which a router forwards the size of a body it cut at MAX_BODY + 1 bytes. */
export const SIZE_HEADER = 'x-dpe-mock-size';

/** The body of an arrival (parsed JSON, or its text when it is none) and its problems. */
export function judgeArrival(
  validator: MessageValidator,
  direction: Direction,
  text: string,
  size: number,
  contentType: string | undefined,
): { body: unknown; problems: Problem[] } {
  if (size > MAX_BODY) {
    return {
      body: text,
      problems: [{ code: 'MALFORMED', message: 'message', clause: 'binding', detail: `body of ${size} bytes exceeds ${MAX_BODY}` }],
    };
  }
  let body: unknown = text;
  let problems: Problem[];
  try {
    body = JSON.parse(text);
    problems = validator.check(body, direction).problems;
  } catch {
    problems = [{ code: 'MALFORMED', message: 'message', clause: 'binding', detail: `body is not JSON: ${text.slice(0, 120)}` }];
  }
  const ctype = (contentType ?? '').split(';')[0]!.trim();
  if (ctype !== 'application/json') {
    problems.push({
      code: 'MALFORMED',
      message: messageTypeOf(body) ?? 'message',
      clause: 'binding',
      detail: `Content-Type is "${ctype}", expected application/json`,
    });
  }
  return { body, problems };
}

/** The trace note of a reaction that is not an acceptance. */
export function reactionNote(r: Reaction): string | undefined {
  if (r === 'reset') return 'the SP reset the connection instead of answering (fault switch)';
  if (r === 'hang') return 'the SP left it unanswered (fault switch)';
  return r >= 200 && r < 300 ? undefined : `the SP answered ${r}`;
}
