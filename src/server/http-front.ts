/**
 * The HTTP front of the reference server: node's server with the input limits applied (header
 * and request timeouts, a connection cap), the one body reader, routing by path and method, the
 * media type and strict JSON parsing, and the writing of answers. An over-limit body is answered
 * 413 (binding.body-limit-413) and its connection closed, so the rest is never read; the server
 * goes on serving other connections (binding.serves-after-rejection). The handlers (dpe1.ts,
 * dpe2.ts, hooks.ts) see a parsed JSON object only.
 */
import http from 'node:http';
import type { Logger } from 'pino';
import { readBody, BodyTooLarge } from './body';
import { DpeError, toDpeError } from './errors';
import type { InputLimits } from './limits';
import { timeoutCheckInterval } from './limits';
import type { Json, Reply } from './seams';
import { parseStrictJson } from './strict-json';
import { IDLE_KEEP_ALIVE_MS } from '../process/keep-alive';

export interface Endpoint {
  method: 'GET' | 'POST';
  /** Runs before the body is looked at: an unauthenticated caller learns nothing, not even parse errors. */
  guard?: (req: http.IncomingMessage) => void;
  /** A POST endpoint gets the body parsed as a strict JSON object; a GET endpoint an empty one. */
  handle: (body: Json, req: http.IncomingMessage) => Reply;
}

/** Routes a request: unknown path 404, wrong method 405, then the guard, the media type (415) and the JSON (400). */
export function router(endpoints: Readonly<Record<string, Endpoint | undefined>>, maxJsonDepth: number) {
  return (req: http.IncomingMessage, raw: Buffer): Reply => {
    const [path = ''] = (req.url ?? '/').split('?', 1);
    const ep = Object.hasOwn(endpoints, path) ? endpoints[path] : undefined;
    if (!ep) throw new DpeError('NOT_FOUND', `no such endpoint: ${path}`);
    if ((req.method ?? 'GET') !== ep.method) throw new DpeError('METHOD_NOT_ALLOWED', `${path} accepts ${ep.method} only`);
    ep.guard?.(req);
    if (ep.method === 'GET') return ep.handle({}, req);
    const [mediaType = ''] = (req.headers['content-type'] ?? '').split(';', 1);
    const type = mediaType.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new DpeError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, not "${type || 'none'}"`);
    }
    return ep.handle(parseStrictJson(raw, maxJsonDepth), req);
  };
}

export function createFront(
  limits: InputLimits,
  handle: (req: http.IncomingMessage, raw: Buffer) => Reply,
  errorAnswer: (e: DpeError) => Reply,
  logger: Logger,
): http.Server {
  const requestTimeout = limits.requestTimeoutMs;
  const server = http.createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(limits.headersTimeoutMs, requestTimeout),
      connectionsCheckingInterval: timeoutCheckInterval(limits),
    },
    (req, res) => {
      readBody(req, limits.maxBodyBytes).then(
        (raw) => {
          let reply: Reply;
          try {
            reply = handle(req, raw);
          } catch (e) {
            const err = toDpeError(e);
            if (err.status >= 500) logger.error({ event: 'internal-error', path: req.url, err: e }, 'handler failed');
            reply = errorAnswer(err);
          }
          write(res, reply, false);
        },
        (e: Error) => {
          if (e instanceof BodyTooLarge) {
            logger.info({ event: 'body-too-large', path: req.url, peer: req.socket.remoteAddress }, e.detail);
            write(res, errorAnswer(e), true);
          } else req.socket.destroy();
        },
      );
    },
  );
  server.maxConnections = limits.maxConnections;
  server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
  return server;
}

function write(res: http.ServerResponse, reply: Reply, close: boolean): void {
  if (res.writableEnded || res.destroyed) return;
  const headers: http.OutgoingHttpHeaders = { ...reply.headers, ...(close ? { connection: 'close' } : {}) };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
  } else {
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}
