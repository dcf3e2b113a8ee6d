/**
 * The mock network must be able to listen where the IXIT says (mockHost:mockPort). Trying it
 * before the run turns "a BeforeAll hook errored" into one line with the system's cause.
 */
import { createServer } from 'node:net';
import type { Ixit } from '../config/ixit';
import { UsageError } from './usage-error';

const FIX = {
  EADDRNOTAVAIL: 'set mockHost to an address of this machine (e.g. 127.0.0.1, or 0.0.0.0 with advertisedHost for a server elsewhere)',
  EADDRINUSE: 'stop what listens there, or choose another mockPort (0 = any free port, when the SPs are onboarded through provisioning)',
  EACCES: 'choose a mockPort above 1023, or run with the right to bind it',
  ENOTFOUND: 'set mockHost to an IP address or a name this machine resolves',
  EAI_AGAIN: 'set mockHost to an IP address (the name could not be resolved)',
} as const;
/** The same, looked up by whatever code the system gave (most have no fix of their own). */
const FIX_BY_CODE: Readonly<Record<string, string>> = FIX;

export function checkMockBind(ixit: Ixit, source: string, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    const timer = setTimeout(() => {
      server.close();
      reject(
        new UsageError(
          `${source}: the mock network could not listen on ${ixit.mockHost}:${ixit.mockPort} within ${timeoutMs} ms`,
          FIX.EAI_AGAIN,
        ),
      );
    }, timeoutMs);
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const code = e.code ?? 'error';
      reject(
        new UsageError(
          `${source}: the mock network cannot listen on mockHost ${ixit.mockHost}, mockPort ${ixit.mockPort}: ${code} (${e.message})`,
          FIX_BY_CODE[code] ?? 'check mockHost and mockPort of the IXIT',
        ),
      );
    });
    server.listen({ host: ixit.mockHost, port: ixit.mockPort, exclusive: true }, () => {
      clearTimeout(timer);
      server.close(() => resolve());
    });
  });
}
