/**
 * How long the loopback servers of this project (the reference server's HTTP front, the mock
 * network, the mock-network router) keep an idle connection open for the next request: node's
 * default. fetch (undici) takes a server's `Keep-Alive: timeout` hint less one second of margin;
 * a hint of 1 s left it nothing, so every delivery and every harness request opened a new
 * connection, and undici built an error (with its stack) to close the last one.
 */
export const IDLE_KEEP_ALIVE_MS = 5_000;
