/**
 * Outbound delivery of server-to-client and server-to-SP messages: one ordered queue per
 * destination (a client sees releases before sets because they leave in that order), retries
 * with backoff on a network error or non-2xx (at-least-once; the Message-ID stays the same).
 */
export interface DeliveryOptions {
  /** Abort one attempt after this long. */
  attemptTimeoutMs: number;
  /** Attempts per message, the first included. */
  maxAttempts: number;
  /** Backoff before the second attempt; doubles each time. */
  retryBackoffMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { attemptTimeoutMs: 2000, maxAttempts: 5, retryBackoffMs: 25 };

export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export type DeliveryLog = (event: { delivery: Delivery; attempt: number; outcome: string }) => void;

export class Outbox {
  private readonly queues = new Map<string, Promise<void>>();
  private pending = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly opts: DeliveryOptions,
    private readonly log: DeliveryLog = () => {},
    /** Seam: what attempt n sends (the reference resends the message unchanged). */
    private readonly prepare: (d: Delivery, attempt: number) => Delivery = (d) => d,
  ) {}

  /** Queues `delivery` behind earlier ones to the same URL. */
  send(delivery: Delivery): void {
    if (this.closed) return;
    this.pending++;
    const prev = this.queues.get(delivery.url) ?? Promise.resolve();
    const next = prev.then(() => this.deliver(delivery)).finally(() => {
      if (this.queues.get(delivery.url) === next) this.queues.delete(delivery.url);
      if (--this.pending === 0) this.idleWaiters.splice(0).forEach((w) => w());
    });
    this.queues.set(delivery.url, next);
  }

  /** Resolves once every queued message was delivered or given up. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops retrying; queued messages are dropped. */
  close(): void {
    this.closed = true;
  }

  private async deliver(d: Delivery): Promise<void> {
    let backoff = this.opts.retryBackoffMs;
    for (let attempt = 1; attempt <= this.opts.maxAttempts && !this.closed; attempt++) {
      const outcome = await this.attempt(this.prepare(d, attempt));
      this.log({ delivery: d, attempt, outcome });
      if (outcome === 'delivered') return;
      if (attempt < this.opts.maxAttempts) {
        await retryBackoff(backoff);
        backoff *= 2;
      }
    }
  }

  private async attempt(d: Delivery): Promise<string> {
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...d.headers },
        body: JSON.stringify(d.body),
        signal: AbortSignal.timeout(this.opts.attemptTimeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? 'delivered' : `HTTP ${res.status}`;
    } catch (e) {
      return `network error: ${(e as Error).message}`;
    }
  }
}

function retryBackoff(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
