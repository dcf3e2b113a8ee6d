/**
 * One ordered trace per scenario: every message between the mock clients, the server under
 * test and the mock SPs, with sender, receiver, time, body and the problems validation found.
 * Waiting is event-driven: a waiter is woken by the entry it waits for or by its deadline. Every
 * wait that had to wait is entered in the trace's wait ledger (wait-ledger.ts) by why it waited;
 * one already decided when it is asked for is no wait and is not entered.
 */
import type { Problem } from '../catalog/validate';
import { WaitLedger } from './wait-ledger';

export interface TraceEntry {
  seq: number;
  /** ms since the trace started */
  at: number;
  from: string;
  to: string;
  /** request: harness/mock -> server; answer: its HTTP answer; notify: server -> mock */
  kind: 'request' | 'answer' | 'notify';
  messageType: string;
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  problems: Problem[];
  note?: string;
  /** Arrived after the scenario's last step and settle window: judged late (src/harness/settle.ts). */
  late?: boolean;
}

export type EntryMatch = (e: TraceEntry) => boolean;

/**
 * A message the harness waited for and gave up on: nothing of its type reached `to` since
 * `since` within `withinMs`. Kept beside the entries (never one of them: an entry wakes waiters
 * and restarts settle windows) and drawn in the chart as "expected … within N ms, not received".
 */
export interface MissedMessage {
  /** ms since the trace started, when the wait gave up */
  at: number;
  /** Entries from this seq on were waited for. */
  since: number;
  /** The party that should have received it (a mock device or SP). */
  to: string;
  /** The party expected to send it: the server under test. */
  from: string;
  messageType: string;
  /** What it had to say, e.g. `"*"` or `about Alice`. */
  detail?: string;
  withinMs: number;
  /** The arrival that decided it would not come in time, when one did before the deadline (a set, for a release). */
  before?: { seq: number; messageType: string };
}

/** The party name of the server under test in every trace. */
export const SERVER_PARTY = 'DPE Server';

interface Waiter {
  match: EntryMatch;
  resolve: (e: TraceEntry) => void;
}

export class Trace {
  readonly entries: TraceEntry[] = [];
  /** Messages waited for in vain, in the order the waits gave up. */
  readonly missed: MissedMessage[] = [];
  private readonly started = Date.now();
  private waiters: Waiter[] = [];
  /** What the waits on this trace cost, by kind (observation only: it changes no wait). */
  readonly waits = new WaitLedger(() => this.now());

  add(e: Omit<TraceEntry, 'seq' | 'at'>): TraceEntry {
    const entry: TraceEntry = { ...e, seq: this.entries.length + 1, at: Date.now() - this.started };
    this.entries.push(entry);
    // waiters are woken after the party that received the entry has applied it (same tick), so
    // a wait on a device's state or an SP's knowledge sees the state the entry produced
    queueMicrotask(() => {
      for (const w of [...this.waiters]) {
        if (w.match(entry)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(entry);
        }
      }
    });
    return entry;
  }

  /**
   * Records that `m` did not come: nothing of its type (or, given `arrivedIf`, nothing that
   * matches it) has reached its recipient since `m.since`. Once per missing message: a later
   * wait for the same one adds nothing.
   */
  notReceived(m: Omit<MissedMessage, 'at' | 'from'> & { from?: string }, arrivedIf?: EntryMatch): void {
    const match = arrivedIf ?? ((e: TraceEntry) => e.to === m.to && e.messageType === m.messageType);
    const arrived = (since: number) => this.entries.some((e) => e.seq >= since && match(e));
    if (arrived(m.since)) return;
    const same = (x: MissedMessage) =>
      x.to === m.to && x.messageType === m.messageType && x.detail === m.detail && !arrived(Math.min(x.since, m.since));
    if (this.missed.some(same)) return;
    this.missed.push({ from: SERVER_PARTY, ...m, at: this.now() });
  }

  /** Sequence number the next entry will get: entries from here on are "since" a mark. */
  mark(): number {
    return this.entries.length + 1;
  }

  // entry n has seq n + 1: a search from `since` starts there, not at the first entry
  find(match: EntryMatch, since = 1): TraceEntry | undefined {
    for (let i = Math.max(0, since - 1); i < this.entries.length; i++) if (match(this.entries[i]!)) return this.entries[i];
    return undefined;
  }

  filter(match: EntryMatch, since = 1): TraceEntry[] {
    return this.entries.slice(Math.max(0, since - 1)).filter(match);
  }

  /** The first entry since `since` that matches, waiting up to `deadlineMs`; undefined after it. */
  async waitFor(match: EntryMatch, since: number, deadlineMs: number): Promise<TraceEntry | undefined> {
    const found = this.find(match, since);
    if (found) return found;
    const t = this.waits.start();
    // nothing arrived since the find above (no await between): wait without searching again
    const e = await this.arrival(match, since, deadlineMs);
    this.waits.end(e ? 'arrived' : 'missed', t);
    return e;
  }

  /**
   * The next entry, waiting up to `deadlineMs`. Not entered in the ledger: for a caller that
   * enters the whole wait this is one round of (Scenario.awaitOutcomes).
   */
  anyEntryWithin(deadlineMs: number): Promise<TraceEntry | undefined> {
    return this.next(() => true, this.mark(), deadlineMs);
  }

  /** A matching entry since `since`: one already there, else the next to arrive (arrival). */
  private next(match: EntryMatch, since: number, deadlineMs: number): Promise<TraceEntry | undefined> {
    const found = this.find(match, since);
    return found ? Promise.resolve(found) : this.arrival(match, since, deadlineMs);
  }

  // the one place that waits: woken by a matching entry or by the deadline; the callers enter it in the ledger
  private async arrival(match: EntryMatch, since: number, deadlineMs: number): Promise<TraceEntry | undefined> {
    let timer: NodeJS.Timeout | undefined;
    let waiter: Waiter | undefined;
    const arrived = new Promise<TraceEntry>((resolve) => {
      waiter = { match: (e) => e.seq >= since && match(e), resolve };
      this.waiters.push(waiter);
    });
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), deadlineMs);
    });
    try {
      return await Promise.race([arrived, deadline]);
    } finally {
      clearTimeout(timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    }
  }

  /** Waits until `count` entries since `since` match, or the deadline; returns those seen. */
  async waitForCount(
    match: EntryMatch,
    since: number,
    count: number,
    deadlineMs: number,
    /** How many of the matching entries count (default all; distinct reports: one per Message-ID, a redelivery is no new report). */
    countOf: (got: TraceEntry[]) => number = (got) => got.length,
  ): Promise<TraceEntry[]> {
    const end = Date.now() + deadlineMs;
    let t: number | undefined;
    const done = (got: TraceEntry[]) => {
      if (t !== undefined) this.waits.end(countOf(got) >= count ? 'arrived' : 'missed', t);
      return got;
    };
    for (;;) {
      const got = this.filter(match, since);
      if (countOf(got) >= count) return done(got);
      const left = end - Date.now();
      if (left <= 0) return done(got);
      t ??= this.waits.start();
      const next = await this.next(match, (got.at(-1)?.seq ?? since - 1) + 1, left);
      if (!next) return done(this.filter(match, since));
    }
  }

  /** Ends when the time since entry `since` was marked reaches `quietMs` — the bounded quiet period. */
  async quietUntil(sinceAtMs: number, quietMs: number): Promise<void> {
    const left = sinceAtMs + quietMs - (Date.now() - this.started);
    if (left <= 0) return;
    const t = this.waits.start();
    await this.next(() => false, Number.MAX_SAFE_INTEGER, left);
    this.waits.end('quiet', t);
  }

  /**
   * Waits until `holds()` is true — re-evaluated whenever an entry arrives — or the deadline;
   * returns whether it holds. The outcome is decided as soon as it is decided: no fixed wait.
   * `expecting`: 'absence' when `holds()` becoming true is what must not happen (the wait then
   * asserts absence over the deadline, and is entered as a quiet period).
   */
  async waitUntil(holds: () => boolean, deadlineMs: number, expecting: 'arrival' | 'absence' = 'arrival'): Promise<boolean> {
    if (holds()) return true;
    const t = this.waits.start();
    const hit = (await this.next(() => holds(), this.mark(), deadlineMs)) !== undefined || holds();
    this.waits.end(expecting === 'absence' ? 'quiet' : hit ? 'arrived' : 'missed', t);
    return hit;
  }

  /**
   * The settle window: ends once no entry has arrived for `quietMs` (measured from the last entry,
   * or from `fromAt` when that is later), and at `maxMs` at the latest. `as`: 'quiet' when a check
   * asserts absence over it rather than letting traffic settle.
   */
  async quietFor(quietMs: number, maxMs: number, fromAt = 0, as: 'settle' | 'quiet' = 'settle'): Promise<void> {
    const end = Date.now() + maxMs;
    let t: number | undefined;
    for (;;) {
      const lastAt = Math.max(fromAt, this.entries.at(-1)?.at ?? 0);
      const left = Math.min(lastAt + quietMs - this.now(), end - Date.now());
      if (left > 0) {
        t ??= this.waits.start();
        if (await this.next(() => true, this.mark(), left)) continue;
      }
      if (t !== undefined) this.waits.end(as, t);
      return;
    }
  }

  /** ms since the trace started, for quiet periods measured from an action. */
  now(): number {
    return Date.now() - this.started;
  }

  /**
   * One line per entry, for failure messages; a body is cut at DESCRIBED_BODY_CHARS (an over-limit
   * body relayed whole would make the message unreadable, and cucumber's stack parser is quadratic
   * in the length of a line without spaces).
   */
  describe(match: EntryMatch = () => true, since = 1): string {
    const lines = this.filter(match, since).map(
      (e) =>
        `  #${e.seq} +${e.at}ms ${e.from} -> ${e.to}: ${e.messageType}${e.status ? ` [${e.status}]` : ''} ${describedBody(e.body)}${e.note ? ` (${e.note})` : ''}`,
    );
    return lines.length ? lines.join('\n') : '  (nothing)';
  }
}

export const DESCRIBED_BODY_CHARS = 600;

/** A body as JSON for a failure message, cut to DESCRIBED_BODY_CHARS with its full length named. */
export function describedBody(body: unknown): string {
  const text = JSON.stringify(body) ?? String(body);
  return text.length <= DESCRIBED_BODY_CHARS ? text : `${text.slice(0, DESCRIBED_BODY_CHARS)}… (${text.length} characters in all)`;
}
