/**
 * Request bodies over the body limit the target declares (IXIT limits.maxBodyBytes). Each is a
 * valid message padded in one of its own IEs to an exact size, so that a target that ignored its
 * limit would accept it, and the acceptance would show (binding, Errors: PAYLOAD_TOO_LARGE).
 */

export interface BodySize {
  /** Words used in the feature files after the message. */
  words: string;
  bytes: (limit: number) => number;
  /** Sent with Transfer-Encoding: chunked (no Content-Length), so the target learns the size only by reading. */
  chunked: boolean;
  /**
   * Far over the limit: a target (or a proxy in front of it) that answers and closes while the
   * body is still coming may reset the connection before the answer is read (the TCP reset problem
   * of RFC 9112, 9.6), so a connection cut off mid-body counts as turned away.
   */
  mayBeCutOff?: boolean;
}

export const BODY_SIZES: readonly BodySize[] = [
  { words: 'one byte over the body limit, its length declared', bytes: (l) => l + 1, chunked: false },
  { words: 'one byte over the body limit, in chunks', bytes: (l) => l + 1, chunked: true },
  { words: 'sixteen times the body limit, in chunks', bytes: (l) => 16 * l, chunked: true, mayBeCutOff: true },
];

export function bodySize(words: string): BodySize {
  const b = BODY_SIZES.find((x) => x.words === words);
  if (!b) throw new Error(`unknown body size "${words}"; known: ${BODY_SIZES.map((x) => `"${x.words}"`).join(', ')}`);
  return b;
}

/**
 * The JSON text of `make(pad)` with `pad` chosen so that the text is exactly `bytes` long.
 * `make` must put the pad into a string (its characters are ASCII, one byte each).
 */
export function paddedJson(make: (pad: string) => Record<string, unknown>, bytes: number, what: string): string {
  const bare = Buffer.byteLength(JSON.stringify(make('')));
  if (bytes < bare)
    throw new Error(
      `${what} is ${bare} bytes without padding, more than the ${bytes} bytes asked for: the declared body limit is too small for any message`,
    );
  const text = JSON.stringify(make('x'.repeat(bytes - bare)));
  if (Buffer.byteLength(text) !== bytes) throw new Error(`${what}: padding gave ${Buffer.byteLength(text)} bytes, not ${bytes}`);
  return text;
}

/** How a padded body appears in the trace (the whole text would bury every other message). */
export const tracedAs = (text: string, type: string): string => `(${type} of ${Buffer.byteLength(text)} bytes: ${text.slice(0, 160)}…)`;

/** The body as a stream of 16 KiB chunks, so that fetch sends it chunked. */
export function chunkedBody(text: string): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(at, at + 16_384)));
      at += 16_384;
    },
  });
}
