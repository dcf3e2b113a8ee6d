/**
 * The one HTTP body reader of the repository's servers (the reference server; the mock network
 * of mocks/ imports it): reads at most `maxBytes`, answers an over-limit Content-Length before
 * reading any of it, and stops reading a chunked body at the limit (binding.body-limit).
 */
import type http from 'node:http';
import { DpeError } from './errors';

export class BodyTooLarge extends DpeError {
  constructor(maxBytes: number, what: string) {
    super('PAYLOAD_TOO_LARGE', `the request body ${what} exceeds the limit of ${maxBytes} bytes (binding: Errors)`);
  }
}

/** Resolves with the body; rejects with BodyTooLarge (answer 413 and close) or the stream's error (nothing to answer). */
export function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    return Promise.reject(new BodyTooLarge(maxBytes, `of ${declared} bytes (Content-Length)`));
  }
  return collect(req, maxBytes, true).then((r) => r.body);
}

/**
 * Reads the whole body but keeps at most `maxBytes` of it, and says how large it was: for a
 * receiver that judges an over-limit body instead of refusing it (the harness's mock network).
 */
export function readBodyCapped(req: http.IncomingMessage, maxBytes: number): Promise<{ body: Buffer; size: number }> {
  return collect(req, maxBytes, false);
}

function collect(req: http.IncomingMessage, maxBytes: number, stopAtLimit: boolean): Promise<{ body: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (e: Error) => {
      req.off('data', onData);
      req.pause();
      reject(e);
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
      else if (stopAtLimit) stop(new BodyTooLarge(maxBytes, `sent in chunks reached ${size} bytes and`));
    };
    req.on('data', onData);
    req.once('end', () => resolve({ body: Buffer.concat(chunks), size }));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('the client aborted the request')));
  });
}
