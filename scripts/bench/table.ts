/**
 * The pure part of `npm run bench`: same-run ratios, the goals of issue 9 they are held against,
 * and the results table (Markdown and JSON). Absolute times on a shared machine are noise; a ratio
 * of two figures measured in the same run, one after the other, is what the bench judges.
 */
import { percentile as nearestRank } from '../../src/load/stats';

/** A goal on a ratio: "at most" or "at least" a bound. */
export interface Goal {
  op: '<=' | '>=';
  bound: number;
  /** Where the goal comes from, e.g. "issue 9". */
  source: string;
}

export type Status = 'met' | 'missed' | 'info' | 'not available';

export interface Row {
  /** Section of the bench (a–e) and a short key, e.g. "a.suite/dry-run". */
  id: string;
  /** What is compared, in words. */
  what: string;
  /** The figures the ratio is computed from, as printed, e.g. "suite 14.2 s, dry run 5.1 s". */
  figures: string;
  /** The same-run ratio; undefined when there is none (not available, or an absolute figure). */
  ratio?: number;
  /** The ratio is a bound only: the run was stopped at its cap, so the real ratio is larger. */
  atLeast?: boolean;
  goal?: Goal;
  status: Status;
  note?: string;
}

/** a / b, or undefined when either is missing or b is not a positive number. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return undefined;
  return a / b;
}

/**
 * Whether `value` meets `goal`. A lower bound (a run stopped at its cap) meets an "at least" goal
 * when the bound does, and never proves an "at most" goal.
 */
export function judge(value: number | undefined, goal: Goal | undefined, atLeast = false): Status {
  if (value === undefined) return 'not available';
  if (!goal) return 'info';
  if (goal.op === '>=') return value >= goal.bound ? 'met' : atLeast ? 'info' : 'missed';
  return value <= goal.bound && !atLeast ? 'met' : 'missed';
}

/** A row with its status decided from its ratio and goal. */
export function row(r: Omit<Row, 'status'> & { status?: Status }): Row {
  return { ...r, status: r.status ?? judge(r.ratio, r.goal, r.atLeast) };
}

/** A row for a measurement that could not be taken, with the reason (never a made-up figure). */
export function unavailable(id: string, what: string, reason: string, goal?: Goal): Row {
  return { id, what, figures: '—', status: 'not available', note: `not available: ${reason}`, ...(goal ? { goal } : {}) };
}

/** Time between `start` and `end` per unit of work, e.g. per-scenario overhead. */
export function perUnit(totalMs: number, floorMs: number, units: number): number | undefined {
  if (!(units > 0) || !Number.isFinite(totalMs) || !Number.isFinite(floorMs)) return undefined;
  return Math.max(0, totalMs - floorMs) / units;
}

/** Nearest-rank percentile (the load report's, src/load/stats.ts); undefined without samples. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  return sorted.length ? nearestRank(sorted, p) : undefined;
}

// ----------------------------------------------------------------------------------- formatting

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function millis(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

export function rate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

export function count(n: number): string {
  return n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000} M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000} k` : String(n);
}

export function formatRatio(r: Row): string {
  if (r.ratio === undefined) return '—';
  const digits = r.ratio >= 100 ? 0 : r.ratio >= 10 ? 1 : 2;
  return `${r.atLeast ? '> ' : ''}${r.ratio.toFixed(digits)}×`;
}

export function formatGoal(g: Goal | undefined): string {
  return g ? `${g.op === '<=' ? '≤' : '≥'} ${g.bound}× (${g.source})` : '';
}

const STATUS_MARK: Record<Status, string> = { met: 'met', missed: 'MISSED', info: '', 'not available': 'n/a' };

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The results as a Markdown table, one line per row. */
export function renderTable(rows: readonly Row[]): string {
  const head = ['row', 'compares', 'figures (this run)', 'ratio', 'goal', 'status'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const figures = r.note ? (r.figures === '—' ? r.note : `${r.figures}; ${r.note}`) : r.figures;
    lines.push(`| ${[r.id, r.what, figures, formatRatio(r), formatGoal(r.goal), STATUS_MARK[r.status]].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

export interface BenchReport {
  startedAt: string;
  mode: 'quick' | 'default' | 'full';
  durationMs: number;
  machine: { node: string; cpus: number; totalMemBytes: number; loadAverage: number[] };
  rows: Row[];
}

export function renderMarkdown(rep: BenchReport): string {
  const missed = rep.rows.filter((r) => r.status === 'missed').length;
  const na = rep.rows.filter((r) => r.status === 'not available').length;
  return [
    '# Bench results',
    '',
    `Run ${rep.startedAt} (${rep.mode} mode, ${seconds(rep.durationMs)}), Node ${rep.machine.node}, ${rep.machine.cpus} cores, ` +
      `${bytes(rep.machine.totalMemBytes)} memory, load average ${rep.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')} at the start.`,
    'Ratios compare figures measured in this run; absolute figures are shown for context only. What each row means: docs/bench.md.',
    '',
    renderTable(rep.rows),
    '',
    `${rep.rows.length} rows: ${rep.rows.filter((r) => r.status === 'met').length} goals met, ${missed} missed, ${na} not available.`,
    '',
  ].join('\n');
}

/** Cucumber's summary line, e.g. "106 scenarios (15 skipped, 91 passed)", as counts. */
export function parseScenarioSummary(output: string): { total: number; byStatus: Record<string, number> } | undefined {
  const m = /^(\d+) scenarios? \(([^)]*)\)/m.exec(output) ?? /^(\d+) scenarios?$/m.exec(output);
  if (!m) return undefined;
  const byStatus: Record<string, number> = {};
  for (const part of (m[2] ?? '').split(',')) {
    const [, count, status] = /(\d+) (\w+)/.exec(part.trim()) ?? [];
    if (status !== undefined) byStatus[status] = Number(count);
  }
  return { total: Number(m[1]), byStatus };
}

/** The reason a CLI gave for refusing to run: its usage-error line, without the program prefix. */
export function refusalReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const usage = lines.find((l) => /usage error:/i.test(l));
  const line = usage ?? lines[0] ?? 'no reason given';
  return line.replace(/^[\w-]+: (usage error: )?/i, '');
}
