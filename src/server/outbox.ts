/**
 * Outbound delivery of server-to-client and server-to-SP messages (binding: at-least-once).
 * One ordered queue per destination with one message in flight: a client sees releases before
 * sets because they leave in that order, and a destination that hangs holds up only its own
 * queue. Each attempt has a timeout; retries back off exponentially (capped) until the retry
 * horizon; the Message-ID stays the same, so an SP that is away for less than the horizon gets
 * every report (cid.report-survives-sp-outage). Every give-up is logged, counted and dead-lettered.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { IE, isReleaseType, MESSAGE_TYPE } from '../catalog/protocol';
import type { DeadLetter, Delivery, DeliveryCounters, DeliveryLog, DeliveryOptions, GiveUpReason, OutboxHealth } from './delivery-types';
import { DEFAULT_DELIVERY } from './delivery-types';
import { attemptDelivery } from './attempt';

export * from './delivery-types';

interface Entry {
  delivery: Delivery;
  queuedAt: number;
}

interface Queue {
  url: string;
  items: Entry[];
  inFlight: boolean;
  /** Device-change batches of this destination whose release was given up. */
  abandoned: Set<string>;
}

export class Outbox {
  private readonly opts: DeliveryOptions;
  private readonly queues = new Map<string, Queue>();
  private readonly deadLetters: DeadLetter[] = [];
  private readonly counters: DeliveryCounters = {
    queued: 0,
    delivered: 0,
    failedAttempts: 0,
    gaveUp: 0,
    byReason: { horizon: 0, 'max-attempts': 0, 'queue-full': 0, 'batch-abandoned': 0, shutdown: 0, closed: 0 },
  };
  private pending = 0;
  private idleWaiters: Array<() => void> = [];
  private stopping: GiveUpReason | undefined;
  private readonly stop = new AbortController();

  constructor(
    opts: Partial<DeliveryOptions>,
    private readonly log: DeliveryLog = () => {},
    /** Seam: what attempt n sends (the reference resends the message unchanged). */
    private readonly prepare: (d: Delivery, attempt: number) => Delivery = (d) => d,
    private readonly logger?: Logger,
    /** Seam: one attempt, "delivered" or what went wrong. */
    private readonly attempt: typeof attemptDelivery = attemptDelivery,
  ) {
    this.opts = { ...DEFAULT_DELIVERY, ...opts };
    // every attempt in flight and every backoff listens for the stop: one per destination, not a leak
    setMaxListeners(0, this.stop.signal);
  }

  /** Queues `delivery` behind earlier ones to the same URL. */
  send(delivery: Delivery): void {
    const entry = { delivery, queuedAt: Date.now() };
    if (this.stopping) return this.giveUp(entry, this.stopping, 0);
    let q = this.queues.get(delivery.url);
    if (!q) this.queues.set(delivery.url, (q = { url: delivery.url, items: [], inFlight: false, abandoned: new Set() }));
    if (q.items.length >= this.opts.maxQueuePerDestination) return this.giveUp(entry, 'queue-full', 0);
    q.items.push(entry);
    this.counters.queued++;
    this.pending++;
    if (!q.inFlight) void this.run(q);
  }

  /** Resolves once every queued message was delivered or given up. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  /** Keeps delivering for at most `ms`, then gives up what is left (reason "shutdown"); resolves when nothing is pending. */
  async drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((r) => (timer = setTimeout(r, ms)));
    await Promise.race([this.idle(), deadline]);
    clearTimeout(timer);
    if (this.pending > 0) this.halt('shutdown');
    await this.idle();
  }

  /** Stops at once: the attempt in flight is aborted, queued messages are given up (reason "closed"). */
  close(): void {
    this.halt('closed');
  }

  health(recent = 20): OutboxHealth {
    const queues = [...this.queues.values()].map((q) => ({ destination: q.url, depth: q.items.length, inFlight: q.inFlight }));
    return {
      queues,
      queued: queues.reduce((n, q) => n + q.depth, 0),
      inFlight: queues.filter((q) => q.inFlight).length,
      deadLetters: { count: this.deadLetters.length, recent: this.deadLetters.slice(-recent).map(({ delivery: _d, ...rest }) => rest) },
      counters: { ...this.counters, byReason: { ...this.counters.byReason } },
    };
  }

  private halt(reason: GiveUpReason): void {
    if (this.stopping) return;
    this.stopping = reason;
    this.stop.abort();
  }

  private async run(q: Queue): Promise<void> {
    q.inFlight = true;
    // the head stays in the queue while it is delivered; what is queued meanwhile comes after it
    for (let entry = q.items[0]; entry !== undefined; entry = q.items[0]) {
      const batch = entry.delivery.batch;
      if (this.stopping) this.giveUp(entry, this.stopping, 0);
      else if (batch && q.abandoned.has(batch)) this.giveUp(entry, 'batch-abandoned', 0);
      else if (!(await this.deliver(entry)) && batch && isReleaseType(entry.delivery.body[MESSAGE_TYPE])) {
        q.abandoned.add(batch);
      }
      q.items.shift();
      if (--this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
    q.inFlight = false;
    this.queues.delete(q.url);
  }

  /** Tries until delivered (true) or given up (false). */
  private async deliver(entry: Entry): Promise<boolean> {
    const o = this.opts;
    let outcome = '';
    for (let attempt = 1; ; attempt++) {
      outcome = await this.attempt(this.prepare(entry.delivery, attempt), o.attemptTimeoutMs, this.stop.signal);
      this.log({ delivery: entry.delivery, attempt, outcome });
      if (outcome === 'delivered') {
        this.counters.delivered++;
        return true;
      }
      this.counters.failedAttempts++;
      const backoff = Math.min(o.maxBackoffMs, o.retryBackoffMs * 2 ** (attempt - 1));
      const reason: GiveUpReason | undefined = this.stopping
        ? this.stopping
        : attempt >= o.maxAttempts
          ? 'max-attempts'
          : Date.now() + backoff - entry.queuedAt > o.horizonMs
            ? 'horizon'
            : undefined;
      if (reason) {
        this.giveUp(entry, reason, attempt, outcome);
        return false;
      }
      await backoffDelay(backoff, this.stop.signal);
    }
  }

  private giveUp(entry: Entry, reason: GiveUpReason, attempts: number, lastOutcome?: string): void {
    const d = entry.delivery;
    const letter: DeadLetter = {
      destination: d.url,
      messageType: String(d.body[MESSAGE_TYPE]),
      messageId: d.body[IE.MessageID],
      reason,
      attempts,
      ...(lastOutcome ? { lastOutcome } : {}),
      at: new Date().toISOString(),
      delivery: d,
    };
    this.counters.gaveUp++;
    this.counters.byReason[reason]++;
    this.deadLetters.push(letter);
    if (this.deadLetters.length > this.opts.maxDeadLetters) this.deadLetters.shift();
    const { delivery: _d, ...fields } = letter;
    this.logger?.warn(
      { event: 'delivery-given-up', ...fields, waitedMs: Date.now() - entry.queuedAt },
      `gave up delivering ${letter.messageType} to ${d.url}: ${reason}`,
    );
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function backoffDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}
