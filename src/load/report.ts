/**
 * The report of a load run: the figures (throughput, latency percentiles per kind of request,
 * how late owed messages were), which invariants held, and every violation with its trace — the
 * message sequence of the identities it involves (./violation-trace.ts). Written as JSON to the
 * run folder and printed as text; both built from the same object.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ics } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { retryHorizonOf, settleWindowOf } from '../config/timing';
import type { HeadroomSummary } from './headroom';
import type { LoadHistory } from './history';
import { MAX_HISTORY_ENTRIES } from './history';
import type { LoadResult } from './run-load';
import type { LatencySummary, LoadStats } from './stats';
import type { InvariantId, Violation } from './violations';
import { INVARIANTS } from './violations';
import { TraceIndex } from './violation-trace';
import { cohortSize } from './workload';

export const REPORT_FILE = 'load-report.json';
export const HISTORY_FILE = 'load-history.ndjson';
/** Violations reported with their trace; the rest are counted and listed by their message. */
export const DETAILED = 500;

export interface ReportedFinding {
  invariant: InvariantId;
  requirement: string | null;
  force: 'fails' | 'warns';
  cohort: string | null;
  message: string;
  /** The messages of the parties and identities involved, up to where it was found. */
  trace?: string[];
}

export interface LoadReport {
  report: 'dpe-conformance load';
  runId: string;
  command: string;
  target: string;
  startedAt: string;
  finishedAt: string;
  /** inconclusive: every violation is about what arrived in time, and the harness itself lagged (src/load/headroom.ts). */
  verdict: 'pass' | 'fail' | 'inconclusive';
  exitCode: 0 | 1 | 2;
  ics: {
    implementation: Ics['implementation'];
    clientIdPolicy: Ics['clientIdPolicy'];
    restoredSettings: Ics['restoredSettings'];
    errata: Ics['errata'];
  };
  timing: { deliveryDeadlineMs: number; retryHorizonMs: number; settleWindowMs: number; quietPeriodMs: number; boundMs: number };
  workload: { devices: number; cohorts: number; cohortSize: number; users: number; seed: number; durationS: number; concurrency: number };
  throughput: {
    requests: number;
    refused: number;
    loadSeconds: number;
    requestsPerSecond: number;
    messagesFromTarget: number;
    messagesPerSecond: number;
  };
  latencyMs: Record<string, LatencySummary>;
  delivery: {
    owedArrived: number;
    afterDeadline: number;
    latestMs: number;
    notArrived: number;
    retriesToDevices: number;
    /** Per kind of owed message: release, setting (to devices), report (to SPs). */
    byKind: LoadStats['byKind'];
  };
  /** How far the harness itself lagged under the load (src/load/headroom.ts). */
  harness: HeadroomSummary;
  drainSeconds: number;
  checkSeconds: number;
  historyEntries: number;
  checkpoints: number;
  invariants: Array<{ id: InvariantId; title: string; held: boolean; violations: number; warnings: number }>;
  byRequirement: Record<string, { violations: number; warnings: number }>;
  violations: ReportedFinding[];
  warnings: ReportedFinding[];
  /** Violations beyond DETAILED, by message only. */
  moreViolations: string[];
  notJudged: Array<{ cohort: string; after: number; why: string }>;
  /** The history filled up (its cap of messages) and the load stopped before its duration: after this many seconds. */
  stoppedEarlyAfterS?: number;
}

export interface ReportMeta {
  runId: string;
  command: string;
  target: string;
  ics: Ics;
  ixit: Ixit;
  devices: number;
  durationS: number;
  seed: number;
  concurrency: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The invariants judged by what arrived within the bound: a harness that answered late can break
 * them for a target that was in time. The others (content, uniqueness, order, answers) hold or
 * not whatever the timing.
 */
export const TIMING_INVARIANTS: ReadonlySet<InvariantId> = new Set<InvariantId>(['device-state', 'client-id-reports', 'lost']);

function verdictOf(violations: readonly Violation[], saturated: boolean): Pick<LoadReport, 'verdict' | 'exitCode'> {
  if (!violations.length) return { verdict: 'pass', exitCode: 0 };
  if (saturated && violations.every((x) => TIMING_INVARIANTS.has(x.invariant))) return { verdict: 'inconclusive', exitCode: 2 };
  return { verdict: 'fail', exitCode: 1 };
}

export function buildReport(r: LoadResult, m: ReportMeta): LoadReport {
  const v = r.verdict;
  const loadSeconds = r.loadMs / 1000;
  const fromTarget = r.history.entries.filter((e) => e.kind === 'notify').length;
  const byRequirement: LoadReport['byRequirement'] = {};
  for (const x of v.violations) (byRequirement[x.requirement ?? `(${x.invariant})`] ??= { violations: 0, warnings: 0 }).violations++;
  for (const x of v.warnings) (byRequirement[x.requirement ?? `(${x.invariant})`] ??= { violations: 0, warnings: 0 }).warnings++;
  const traces = new TraceIndex(r.history);
  const reported = (x: Violation, withTrace: boolean): ReportedFinding => ({
    invariant: x.invariant,
    requirement: x.requirement ?? null,
    force: x.force,
    cohort: x.cohort ?? null,
    message: x.message,
    ...(withTrace ? { trace: traces.traceOf(x) } : {}),
  });
  return {
    report: 'dpe-conformance load',
    runId: m.runId,
    command: m.command,
    target: m.target,
    startedAt: r.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ...verdictOf(v.violations, r.headroom.saturated),
    ics: {
      implementation: m.ics.implementation,
      clientIdPolicy: m.ics.clientIdPolicy,
      restoredSettings: m.ics.restoredSettings,
      errata: m.ics.errata,
    },
    timing: {
      deliveryDeadlineMs: m.ixit.timing.deliveryDeadlineMs,
      retryHorizonMs: retryHorizonOf(m.ixit),
      settleWindowMs: settleWindowOf(m.ixit),
      quietPeriodMs: m.ixit.timing.quietPeriodMs,
      boundMs: r.boundMs,
    },
    workload: {
      devices: m.devices,
      cohorts: r.cohorts,
      cohortSize: cohortSize(m.devices),
      users: r.history.roster.users.length,
      seed: m.seed,
      durationS: m.durationS,
      concurrency: m.concurrency,
    },
    throughput: {
      requests: r.stats.requests,
      refused: r.stats.refused,
      loadSeconds: round1(loadSeconds),
      requestsPerSecond: round1(r.stats.requests / Math.max(loadSeconds, 0.001)),
      messagesFromTarget: fromTarget,
      messagesPerSecond: round1(fromTarget / Math.max(loadSeconds, 0.001)),
    },
    latencyMs: r.stats.latency(),
    delivery: {
      owedArrived: r.stats.owedArrived,
      afterDeadline: r.stats.late,
      latestMs: Math.round(r.stats.latestMs),
      notArrived: r.stats.gaveUpCount,
      retriesToDevices: v.retries,
      byKind: r.stats.byKind,
    },
    harness: r.headroom,
    drainSeconds: round1(r.drainMs / 1000),
    checkSeconds: round1(r.checkMs / 1000),
    historyEntries: r.history.entries.length,
    checkpoints: v.checkpoints,
    invariants: INVARIANTS.map((i) => ({ id: i.id, title: i.title, held: v.byInvariant[i.id].violations === 0, ...v.byInvariant[i.id] })),
    byRequirement,
    violations: v.violations.slice(0, DETAILED).map((x) => reported(x, true)),
    warnings: v.warnings.slice(0, DETAILED).map((x, i) => reported(x, i < 50)),
    moreViolations: v.violations.slice(DETAILED).map((x) => `[${x.invariant}] ${x.requirement ?? '-'}: ${x.message}`),
    notJudged: v.notJudgedAfter.map((n) => ({
      cohort: n.cohort,
      after: n.at,
      why: r.stopped.find((s) => s.cohort === n.cohort)?.why ?? 'a request got no answer',
    })),
    ...(r.historyFullAfterMs !== undefined ? { stoppedEarlyAfterS: round1(r.historyFullAfterMs / 1000) } : {}),
  };
}

export function writeReport(runDir: string, report: LoadReport): string {
  const file = join(runDir, REPORT_FILE);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** The whole history, one JSON object a line: the roster first, then every entry in order. */
export function writeHistory(runDir: string, h: LoadHistory): string {
  const file = join(runDir, HISTORY_FILE);
  const lines = [JSON.stringify({ roster: h.roster, unattributed: h.unattributed }), ...h.entries.map((e) => JSON.stringify(e))];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

// ---- text ---------------------------------------------------------------------------------

/** Violations printed with their trace on the terminal (all are in the JSON report). */
export const PRINTED_TRACES = 20;

export function formatReport(r: LoadReport, file: string): string {
  const out: string[] = [];
  const w = r.workload;
  out.push(
    `load against ${r.target}: ${w.devices} device(s) in ${w.cohorts} cohort(s) of up to ${w.cohortSize}, ${w.users} users, ${w.durationS} s, seed ${w.seed}, ${w.concurrency} request(s) in flight at most`,
  );
  if (r.stoppedEarlyAfterS !== undefined)
    out.push(
      `the history reached ${MAX_HISTORY_ENTRIES} messages (it is held in memory for the verdict): the load stopped after ${r.stoppedEarlyAfterS} s and drained`,
    );
  const t = r.throughput;
  out.push(
    `throughput: ${t.requests} requests in ${t.loadSeconds} s = ${t.requestsPerSecond} requests/s (${t.refused} refused); the target sent ${t.messagesFromTarget} messages (${t.messagesPerSecond}/s)`,
  );
  out.push('latency (ms)              count      p50      p90      p99      max');
  for (const [kind, s] of Object.entries(r.latencyMs)) {
    out.push(
      `  ${kind.padEnd(24)}${String(s.count).padStart(6)}${String(s.p50).padStart(9)}${String(s.p90).padStart(9)}${String(s.p99).padStart(9)}${String(s.max).padStart(9)}`,
    );
  }
  const d = r.delivery;
  out.push(
    `delivery: ${d.owedArrived} owed message(s) arrived, ${d.afterDeadline} after the ${r.timing.deliveryDeadlineMs} ms delivery deadline (latest after ${d.latestMs} ms), ` +
      `${d.notArrived} not within ${r.timing.boundMs} ms (deadline + retry horizon); ${d.retriesToDevices} message(s) to devices delivered again unchanged (retries, taken once)`,
  );
  const kinds = Object.entries(d.byKind).flatMap(([k, x]) => (x ? [`${k}s ${x.arrived} (${x.late} late, latest ${x.latestMs} ms)`] : []));
  if (kinds.length) out.push(`  by kind: ${kinds.join(', ')}`);
  const h = r.harness;
  out.push(
    `harness: event-loop delay p50 ${h.delayMs.p50} / p99 ${h.delayMs.p99} / max ${h.delayMs.max} ms, CPU ${Math.round(h.cpuShare * 100)}% of one core; ` +
      (h.saturated
        ? `SATURATED: its answers lagged past the ${h.saturatedAtMs} ms delivery deadline, so what did not arrive in time may be its own lateness`
        : h.laggingSeconds
          ? `lagging: past ${h.laggingAtMs} ms (a quarter of the delivery deadline) in ${h.laggingSeconds} s of the run, so the late counts include its own lateness`
          : `within its headroom (lagging past ${h.laggingAtMs} ms, saturated past ${h.saturatedAtMs} ms)`),
  );
  out.push(
    `drain ${r.drainSeconds} s; verdict over ${r.historyEntries} recorded messages at ${r.checkpoints} checkpoints in ${r.checkSeconds} s`,
  );
  out.push('invariants:');
  for (const i of r.invariants)
    out.push(
      `  ${i.held ? 'held    ' : 'BROKEN  '}${i.id}: ${i.title}${i.violations ? ` — ${i.violations} violation(s)` : ''}${i.warnings ? ` (${i.warnings} warning(s))` : ''}`,
    );
  for (const n of r.notJudged) out.push(`  not judged: cohort ${n.cohort} after #${n.after} (${n.why})`);
  const all = r.violations.length + r.moreViolations.length;
  if (all) {
    out.push(
      `violations by requirement: ${Object.entries(r.byRequirement)
        .filter(([, n]) => n.violations)
        .map(([k, n]) => `${k} ${n.violations}`)
        .join(', ')}`,
    );
    out.push(
      `violations (${all}; the first ${Math.min(PRINTED_TRACES, all)} with the messages of the identities involved; all in ${file}):`,
    );
    r.violations.forEach((v, i) => {
      out.push(`  ${i + 1}. [${v.invariant}] ${v.requirement ?? '-'}${v.cohort ? ` (cohort ${v.cohort})` : ''}: ${v.message}`);
      if (i < PRINTED_TRACES) for (const line of (v.trace ?? []).slice(-12)) out.push(`       ${line}`);
    });
    for (const [i, m] of r.moreViolations.entries()) out.push(`  ${r.violations.length + i + 1}. ${m}`);
  }
  if (r.warnings.length) {
    out.push(`warnings (${r.warnings.length}; derived rules: they do not fail the run):`);
    r.warnings.slice(0, 50).forEach((v, i) => {
      out.push(`  ${i + 1}. [${v.invariant}] ${v.requirement ?? '-'}${v.cohort ? ` (cohort ${v.cohort})` : ''}: ${v.message}`);
    });
  }
  out.push(
    r.verdict === 'pass'
      ? `result: no violation (exit code 0); report: ${file}`
      : r.verdict === 'inconclusive'
        ? `result: inconclusive (exit code 2): ${all} violation(s), each about what arrived in time, found while the harness itself lagged up to ${h.delayMs.max} ms — it cannot tell a late target from its own late answers; run again with fewer --devices or a lower --concurrency; report: ${file}`
        : `result: ${all} violation(s) (exit code 1); report: ${file}`,
  );
  return `${out.join('\n')}\n`;
}
