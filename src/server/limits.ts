/**
 * Input limits of the reference server (docs/security.md, "Input"): how much a client may send,
 * how slowly, over how many connections, and how deep and how large its JSON may be.
 */
export interface InputLimits {
  /** Largest request body; a larger Content-Length is answered 413 at once, a chunked body is cut off there. */
  maxBodyBytes: number;
  /** Deepest JSON nesting of a body (the body object is level 1; a Policy object inside it level 2). */
  maxJsonDepth: number;
  /** All request headers must arrive within this time (node: server.headersTimeout). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this time (node: server.requestTimeout). */
  requestTimeoutMs: number;
  /** Open connections at most (node: server.maxConnections); further ones are closed at once. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxBodyBytes: 64 * 1024,
  maxJsonDepth: 8,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  maxConnections: 256,
};

/** How often node checks the two timeouts: often enough that a short timeout is kept to within a quarter. */
export function timeoutCheckInterval(l: InputLimits): number {
  return Math.max(10, Math.min(1_000, Math.floor(Math.min(l.headersTimeoutMs, l.requestTimeoutMs) / 4)));
}
