/**
 * The HTTP front of the reference server: node's server with the input limits applied (header
 * and request timeouts, a connection cap), the one body reader, and the writing of answers.
 * An over-limit body is answered 413 and its connection closed, so the rest is never read; the
 * server goes on serving other connections (binding.serves-after-rejection). The status is 413
 * (binding.body-limit-413).
 */
import http from 'node:http';
import type { Logger } from 'pino';
import { readBody, BodyTooLarge } from './body';
import { toDpeError, type DpeError } from './errors';
import { timeoutCheckInterval, type InputLimits } from './limits';
import type { Reply } from './seams';

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
  server.keepAliveTimeout = 1000;
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
