/**
 * The envelopes of a cucumber messages file (NDJSON), read one way wherever a run's messages are
 * read: the run reader that scores a run, and the merge that writes cucumber's pages again.
 */
import type { Envelope } from '@cucumber/messages';

/**
 * Every envelope of `ndjson`, in order; blank lines are skipped. A line that is not a JSON object
 * is handed to `unreadable` and left out (a torn or interleaved file); without it, it is an error.
 */
export function parseEnvelopes(ndjson: string, unreadable?: (line: string) => void): Envelope[] {
  const out: Envelope[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      e = undefined;
    }
    if (e !== null && typeof e === 'object') out.push(e as Envelope);
    else if (unreadable) unreadable(line);
    else throw new Error(`a messages file line is not a cucumber message: ${line.slice(0, 60)}…`);
  }
  return out;
}
