/**
 * A bound on the requests a load run has in flight at once: the target's own connection limit
 * (the reference server closes connections beyond 256) is not what the load measures, and
 * every request waits its turn in order. The run's connection pool has as many connections
 * (src/load/run-load.ts).
 */
export class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`a limit of ${max} requests in flight`);
  }

  get inFlight(): number {
    return this.active;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // a finished request hands its slot to the next in line, so nobody overtakes the queue
    if (this.active >= this.max) await new Promise<void>((r) => this.queue.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
