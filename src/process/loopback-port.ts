/**
 * A loopback port for a listener that needs a fixed one (a container on the host network, a
 * mock network at a fixed mockPort, a closed port to refuse a run with): free when asked, taken
 * from below the kernel's ephemeral range.
 */
import { createServer } from 'node:net';

/**
 * Ports a fixed-port listener may take, below Linux's ephemeral range (32768–60999): a port the
 * kernel hands out for port 0 is also handed to outgoing connections, so on a busy machine another
 * process's connection could take it between this check and the listener binding it.
 */
const FIXED_PORTS = { from: 20_000, to: 32_767 };
const FIXED_PORT_TRIES = 50;

/** A loopback port that nothing listens on now, to be given to a listener that needs a fixed one. */
export async function freeLoopbackPort(): Promise<number> {
  for (let i = 0; i < FIXED_PORT_TRIES; i++) {
    const port = FIXED_PORTS.from + Math.floor(Math.random() * (FIXED_PORTS.to - FIXED_PORTS.from + 1));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port in ${FIXED_PORTS.from}-${FIXED_PORTS.to} after ${FIXED_PORT_TRIES} tries`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
