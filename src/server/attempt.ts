/**
 * One delivery attempt: POST with a timeout, redirects never followed, the answer's body drained
 * unread. node:http with a keep-alive agent rather than fetch: on loopback, fetch cost about six
 * times the CPU per request (measured: 320 µs against 52 µs, client and server together), and the
 * reference server sends every message of every device change and every report this way.
 */
import http from 'node:http';
import https from 'node:https';
import type { Delivery } from './delivery-types';

/**
 * Connections open to one host and port at most. Each destination has one message in flight, so
 * this matters where many destinations share an address (a gateway, or the harness's mock network
 * with thousands of devices on one port): without a cap, a burst of device changes opened a
 * connection per device at once, overflowed the receiver's accept queue and timed out attempts
 * the receiver never saw (docs/load.md, Measured).
 */
export const MAX_SOCKETS_PER_ORIGIN = 128;
/**
 * A request waits at most this long for one of those connections; its answer timeout starts once
 * it has one, so waiting behind other destinations is not charged to this one.
 */
export const SOCKET_WAIT_CAP_MS = 30_000;

/**
 * One pool of connections per protocol for every delivery of the process. The agent keeps a
 * connection for the server's `Keep-Alive: timeout` less one second (node's own margin).
 */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_ORIGIN }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_ORIGIN }),
} as const;

/**
 * "delivered" on a 2xx; otherwise what went wrong, for the log. `timeoutMs` runs from when the
 * request has a connection (a new one's connecting included).
 */
export function attemptDelivery(d: Delivery, timeoutMs: number, stop: AbortSignal, socketWaitCapMs = SOCKET_WAIT_CAP_MS): Promise<string> {
  return new Promise<string>((resolve) => {
    let url: URL;
    try {
      url = new URL(d.url);
    } catch {
      resolve(`network error: ${JSON.stringify(d.url)} is not a URL`);
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      resolve(`network error: ${url.protocol} is not http: or https:`);
      return;
    }
    if (stop.aborted) {
      resolve('aborted: the outbox stopped');
      return;
    }
    const body = JSON.stringify(d.body);
    let req: http.ClientRequest | undefined;
    let ended = false;
    const end = (outcome: string, drop: boolean) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
      if (drop) req?.destroy();
      resolve(outcome);
    };
    const onStop = () => end('aborted: the outbox stopped', true);
    // a timer holds the attempt at every moment, so it always ends (a timeout signal inside
    // AbortSignal.any(), held weakly, once let an attempt to an SP that never answers hang:
    // attempt-timeout.test.ts): first the wait for a connection, then the answer's timeout
    let timer = setTimeout(() => end(`no connection to ${url.host} free within ${socketWaitCapMs} ms`, true), socketWaitCapMs);
    stop.addEventListener('abort', onStop, { once: true });
    const client = url.protocol === 'https:' ? https : http;
    req = client.request(
      url,
      {
        method: 'POST',
        agent: AGENTS[url.protocol],
        headers: { 'content-type': 'application/json', ...d.headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        // the answer's body is not needed: drained, so that the connection can carry the next message
        res.resume();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) end('delivered', false);
        else if (status >= 300 && status < 400) end(`HTTP ${status} (redirects are not followed)`, false);
        else end(`HTTP ${status}`, false);
      },
    );
    req.once('socket', () => {
      if (ended) return;
      clearTimeout(timer);
      timer = setTimeout(() => end(`no answer within ${timeoutMs} ms`, true), timeoutMs);
    });
    req.on('error', (e: NodeJS.ErrnoException) => end(`network error: ${e.code ?? e.message}`, false));
    req.end(body);
  });
}
