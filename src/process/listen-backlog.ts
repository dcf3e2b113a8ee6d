/**
 * The accept queue of the harness's loopback listeners. Node's default (511) overflowed when a
 * target delivered to thousands of mock devices at once (they share one port): the kernel dropped
 * connection attempts, the target's retries came a second or more later, and a correct server
 * looked late or lossy. The kernel caps it at net.core.somaxconn.
 */
export const LISTEN_BACKLOG = 4096;
