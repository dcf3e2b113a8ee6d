/**
 * The one body reader of the reference server: reads at most `maxBytes`, answers an over-limit
 * Content-Length before reading any of it, and stops reading a chunked body at the limit
 * (binding.body-limit).
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
      if (size > maxBytes) stop(new BodyTooLarge(maxBytes, `sent in chunks reached ${size} bytes and`));
      else chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('the client aborted the request')));
  });
}
