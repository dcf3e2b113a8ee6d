/** One delivery attempt: POST with a timeout, redirects never followed, the answer's body not read. */
import type { Delivery } from './delivery-types';

/** "delivered" on a 2xx; otherwise what went wrong, for the log. */
export async function attemptDelivery(d: Delivery, timeoutMs: number, stop: AbortSignal): Promise<string> {
  // Not AbortSignal.timeout(): AbortSignal.any() holds its sources weakly, so a garbage collection
  // during the attempt can collect the timeout signal, and an attempt to an SP that never answers
  // then never ends (no retry: the report is lost past any horizon). The timer holds this one.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...d.headers },
      body: JSON.stringify(d.body),
      redirect: 'manual',
      signal: AbortSignal.any([timeout.signal, stop]),
    });
    // the answer's body is not needed: released, not read (not awaited: some streams settle their cancel late)
    res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return 'delivered';
    if (res.status >= 300 && res.status < 400) return `HTTP ${res.status} (redirects are not followed)`;
    return `HTTP ${res.status}`;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    if (stop.aborted) return 'aborted: the outbox stopped';
    return `network error: ${err.cause?.code ?? err.message}`;
  } finally {
    clearTimeout(timer);
  }
}
