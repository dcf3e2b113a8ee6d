/**
 * Where a scenario's time went: every bounded wait the harness makes on the target, timed and
 * classified by why it waited. A pure observation — the ledger never shortens, lengthens or
 * judges a wait; the trace (trace.ts), the scenario (scenario.ts) and the target (target.ts)
 * tell it when a wait began and how it ended.
 *
 *   settle   a settle window: nothing new arrives for a while (after the scenario, between actions)
 *   quiet    absence asserted: the quiet period, or a deadline over which something must not happen
 *   arrived  a wait for an expected message that came (the time until it came)
 *   missed   a wait for an expected message that ended at its deadline with nothing: the
 *            expensive case, which a faulty server makes the harness pay
 *   stated   the part of any trace wait that fell in a duration the feature itself states (an SP
 *            away "for 1 second": sp-actions.ts takeSpAway); the server cannot deliver before it ends
 *   answer   the HTTP answers of the target (can overlap the others: a device answering a trigger
 *            registers while a step waits)
 *
 * Within a scenario the trace waits are sequential, so their sum is wall time spent waiting.
 */

export const WAIT_KINDS = ['settle', 'quiet', 'arrived', 'missed', 'stated', 'answer'] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

/** How many waits of a kind, and the ms they took together. */
export interface WaitTally {
  count: number;
  ms: number;
}

/** A scenario's ledger as its verdict record carries it (VerdictRecord.waits), or a total of several. */
export type WaitsRecord = Record<WaitKind, WaitTally>;

/** The waits the verdict rules mandate whatever the target does: what a faster harness cannot remove. */
export const MANDATED_WAITS: readonly WaitKind[] = ['settle', 'quiet', 'stated'];

const INDEX: Readonly<Record<WaitKind, number>> = { settle: 0, quiet: 1, arrived: 2, missed: 3, stated: 4, answer: 5 };
const STATED = INDEX.stated;

export class WaitLedger {
  // fixed arrays: recording a wait allocates nothing
  private readonly counts = [0, 0, 0, 0, 0, 0];
  private readonly sums = [0, 0, 0, 0, 0, 0];
  private statedFrom = 0;
  private statedUntil = 0;

  /** `clock`: ms on the trace's clock, so stated durations and waits are measured alike. */
  constructor(private readonly clock: () => number) {}

  /** The start of a wait, to hand back to end(). */
  start(): number {
    return this.clock();
  }

  /** A wait that began at `startedAt` ended now, for the reason `kind` says. */
  end(kind: WaitKind, startedAt: number): void {
    const now = this.clock();
    const total = Math.max(0, now - startedAt);
    // an answer is the target's own time even while an SP is away; a trace wait then waits for the outage
    const stated = kind === 'answer' ? 0 : Math.max(0, Math.min(now, this.statedUntil) - Math.max(startedAt, this.statedFrom));
    const i = INDEX[kind];
    this.counts[i]!++;
    this.sums[i]! += total - stated;
    this.sums[STATED]! += stated;
  }

  /** A duration the feature states begins now and lasts `ms`: trace waits within it are charged to it. */
  stated(ms: number): void {
    const now = this.clock();
    this.counts[STATED]!++;
    if (now < this.statedUntil) this.statedUntil = Math.max(this.statedUntil, now + ms);
    else {
      this.statedFrom = now;
      this.statedUntil = now + ms;
    }
  }

  record(): WaitsRecord {
    const out = {} as WaitsRecord;
    for (const k of WAIT_KINDS) out[k] = { count: this.counts[INDEX[k]]!, ms: Math.round(this.sums[INDEX[k]]!) };
    return out;
  }
}

export function noWaits(): WaitsRecord {
  const out = {} as WaitsRecord;
  for (const k of WAIT_KINDS) out[k] = { count: 0, ms: 0 };
  return out;
}

/**
 * The ledger in a verdict record read back from a report, or undefined when it has none (a record
 * of an older harness) or it is not one; a kind it lacks counts as none.
 */
export function waitsOf(x: unknown): WaitsRecord | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const r = x as Record<string, unknown>;
  const out = noWaits();
  let any = false;
  for (const k of WAIT_KINDS) {
    const t = r[k] as Partial<WaitTally> | undefined;
    if (t === undefined) continue;
    if (typeof t !== 'object' || t === null || !isCount(t.count) || !isCount(t.ms)) return undefined;
    out[k] = { count: t.count, ms: t.ms };
    any = true;
  }
  return any ? out : undefined;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** The ledgers added up, kind by kind. */
export function sumWaits(records: Iterable<WaitsRecord>): WaitsRecord {
  const out = noWaits();
  for (const r of records)
    for (const k of WAIT_KINDS) {
      out[k].count += r[k].count;
      out[k].ms += r[k].ms;
    }
  return out;
}

/** ms of the waits the verdict rules mandate (MANDATED_WAITS). */
export function mandatedMs(w: WaitsRecord): number {
  return MANDATED_WAITS.reduce((sum, k) => sum + w[k].ms, 0);
}
