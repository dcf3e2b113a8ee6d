/** Reading a recorded message of a load run: the fields of its body, and whether its status says it was accepted. */
import type { TraceEntry } from '../harness/trace';

/** The body's fields (a body that is no JSON object has none). */
export const bodyOf = (e: TraceEntry): Record<string, unknown> =>
  typeof e.body === 'object' && e.body !== null && !Array.isArray(e.body) ? (e.body as Record<string, unknown>) : {};

/** A 2xx status: the request or the message was accepted. */
export const ok = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;
