/**
 * The figures of a load run: requests answered and how fast, per kind of request, and how long
 * the messages the target owed took to arrive. Latency is from the request leaving the mock to
 * its answer arriving (the time a request waited for a free slot is not the target's).
 */
import type { CohortStats, OwedKind } from './cohort';
import type { ActionKind } from './actions';

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted samples (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(samples: readonly number[]): LatencySummary {
  const s = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    count: s.length,
    p50: round(percentile(s, 50)),
    p90: round(percentile(s, 90)),
    p99: round(percentile(s, 99)),
    max: round(s.at(-1) ?? 0),
    mean: round(s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0),
  };
}

export class LoadStats implements CohortStats {
  private readonly samples = new Map<ActionKind, number[]>();
  requests = 0;
  /** Requests answered with a status that is not 2xx. */
  refused = 0;
  /** Owed messages that arrived, those that arrived after the delivery deadline, and the latest. */
  owedArrived = 0;
  late = 0;
  latestMs = 0;
  /** Per kind of owed message (release, setting, report): arrived, after the deadline, the latest. */
  readonly byKind: Partial<Record<OwedKind, { arrived: number; late: number; latestMs: number }>> = {};
  gaveUpCount = 0;

  constructor(private readonly deadlineMs: number) {}

  answered(kind: ActionKind, ms: number, status: number): void {
    this.requests++;
    if (status < 200 || status > 299) this.refused++;
    let list = this.samples.get(kind);
    if (!list) this.samples.set(kind, (list = []));
    list.push(ms);
  }

  arrived(ms: number, kind: OwedKind): void {
    const k = (this.byKind[kind] ??= { arrived: 0, late: 0, latestMs: 0 });
    this.owedArrived++;
    k.arrived++;
    if (ms > this.deadlineMs) {
      this.late++;
      k.late++;
    }
    this.latestMs = Math.max(this.latestMs, ms);
    k.latestMs = Math.max(k.latestMs, Math.round(ms));
  }

  gaveUp(): void {
    this.gaveUpCount++;
  }

  /** Latency per kind of request, and over all of them. */
  latency(): Record<string, LatencySummary> {
    const out: Record<string, LatencySummary> = {};
    for (const [k, v] of [...this.samples].sort(([a], [b]) => a.localeCompare(b))) out[k] = summarise(v);
    out.all = summarise([...this.samples.values()].flat());
    return out;
  }
}
