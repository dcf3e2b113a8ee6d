/**
 * An SP's own listener: when the harness picks the ports, each SP listens on a port of its own
 * as well, so that one SP can be made unreachable (its port closed) while every other party stays up.
 */
import type http from 'node:http';
import { LISTEN_BACKLOG } from '../src/process/listen-backlog';

/** An SP's own port: closed for a while, it refuses connections (the SP is unreachable). */
export interface SpPort {
  readonly uri: string;
  /** Closes the port now and opens it again after `ms`; resolves once it is closed. */
  closeFor(ms: number): Promise<void>;
  /** Resolves once the port is open (at once when it is). */
  whenOpen(): Promise<void>;
}

export class OwnPort implements SpPort {
  private reopenAt: NodeJS.Timeout | undefined;
  private opened: Promise<void> = Promise.resolve();
  private markOpen: () => void = () => undefined;
  /** Why it could not be opened again, if it could not (the port was taken meanwhile). */
  failure: string | undefined;

  constructor(
    private readonly server: http.Server,
    private readonly host: string,
    private readonly port: number,
    readonly uri: string,
  ) {}

  get offline(): boolean {
    return this.reopenAt !== undefined;
  }

  async closeFor(ms: number): Promise<void> {
    if (this.offline) throw new Error(`${this.uri} is closed already`);
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    // kept-alive connections would still carry requests: a closed port takes none
    this.server.closeAllConnections();
    await closed;
    this.opened = new Promise<void>((r) => (this.markOpen = r));
    this.reopenAt = setTimeout(() => void this.open(), ms);
  }

  whenOpen(): Promise<void> {
    return this.opened;
  }

  /** Opens the port again now (if it is closed). */
  async open(): Promise<void> {
    if (!this.reopenAt) return this.opened;
    clearTimeout(this.reopenAt);
    this.reopenAt = undefined;
    await new Promise<void>((resolve) => {
      const failed = (e: Error) => {
        this.failure = `the mock SP's port ${this.host}:${this.port} could not be opened again after its outage: ${e.message}`;
        resolve();
      };
      this.server.once('error', failed);
      this.server.listen({ port: this.port, host: this.host, backlog: LISTEN_BACKLOG }, () => {
        this.server.off('error', failed);
        resolve();
      });
    });
    this.markOpen();
  }

  async stop(): Promise<void> {
    clearTimeout(this.reopenAt);
    this.reopenAt = undefined;
    this.markOpen();
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
