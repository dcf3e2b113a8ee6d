/**
 * The runs of `npm run mutation` (scripts/mutation.ts): one job of the plan (scripts/mutation-plan.ts)
 * is one suite run of its cucumber.js profile, against the embedded server built as the variant or
 * profile (DPE_VARIANT) or the independent server by URL; runs go several at a time, longest first.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Ixit } from '../src/config/ixit';
import { DEFAULT_IXIT } from '../src/config/ixit';
import { RETRY_HORIZON_DEFAULT_MS } from '../src/config/timing';
import { requirementIdsOf } from '../src/requirements/applicability';
import { lastLines, runSuiteProcess } from '../src/harness/suite-process';
import type { SuitePool } from '../src/harness/suite-pool';
import { PROFILE_JOINER } from '../src/harness/variant-profile';
import type { Job } from './mutation-job';
import { startIndependent } from './independent-server';
import type { SuiteScenario } from '../src/cli/suite-scenarios';
import { loadSuiteScenarios, selectForRun } from '../src/cli/suite-scenarios';

const ROOT = resolve(__dirname, '..');

const RUN_TIMEOUT_MS = 240_000;
/**
 * A fault run's deadline is short, to keep mutants that drop messages quick (each missing message
 * costs one deadline). A legal run's is patient: a legal server is judged as soon as its messages
 * arrive, so only the rare wait over which something must not happen pays it — while five runs at
 * once beside npm test's other layers once made a legal variant that delays each message by up
 * to 750 ms (delayed-delivery) miss a 1 s deadline. The quiet period is the same for both.
 */
const FAULT_TIMING: Ixit['timing'] = { deliveryDeadlineMs: 1000, quietPeriodMs: 100 };
const LEGAL_TIMING: Ixit['timing'] = { deliveryDeadlineMs: 2500, quietPeriodMs: 100 };

export interface ScenarioResult {
  /** The scenario's feature location (unique, example rows included): the same in every run. */
  key: string;
  name: string;
  uri: string;
  reqIds: string[];
  status: string;
  message?: string;
  /** Requirements the scenario's checks found broken (failures and warnings), from its verdict record. */
  judged: string[];
  /** The harness's verdict (a late message can turn a passed scenario into a failure). */
  verdict?: string;
}

export interface RunResult {
  job: Job;
  scenarios: ScenarioResult[];
  /** Why the run itself went wrong (timeout, crash, no messages), if it did. */
  error?: string;
  /** Messages the target sent that no scenario can own (a failure of the run). */
  unowned: string[];
  ms: number;
  /**
   * A legal run that failed and passed when run again: what failed the first time (a false
   * failure under load — shown in its row, never dropped; scripts/mutation.ts).
   */
  firstTry?: string;
}

export interface RunContext {
  /** Runs at a time; raised while the run goes on when `jobsFile` says more. */
  jobs: number;
  /** A file holding a number of runs at a time, read again as runs end (npm test raises it once the mutation layer runs alone). */
  jobsFile?: string;
  /** Per-run folders (config, IXIT, ICS, messages) go in here. */
  work: string;
  /** Keep the per-run folders. */
  keep: boolean;
  /** Long-lived suite workers; absent: a child cucumber-js per run. */
  pool?: SuitePool;
}

/** The IXIT of a run: its timing by what it proves; the independent server is reached by URL and onboarded through its provisioning endpoint. */
function ixitOf(job: Job): Ixit {
  const timing = isFault(job) ? FAULT_TIMING : LEGAL_TIMING;
  return { ...DEFAULT_IXIT, timing, ...(job.independent ? { onboardThroughProvisioning: true } : {}) };
}

export async function runJob(job: Job, ctx: RunContext): Promise<RunResult> {
  const started = Date.now();
  let server: Awaited<ReturnType<typeof startIndependent>> | undefined;
  if (job.independent) {
    try {
      server = await startIndependent({ policy: job.policy, ...job.independent });
    } catch (e) {
      return { job, scenarios: [], error: (e as Error).message, ms: Date.now() - started, unowned: [] };
    }
  }
  const r = await runSuiteProcess({
    profile: job.policy,
    env: server
      ? { DPE_TARGET: server.url }
      : job.variants?.length
        ? { DPE_VARIANT: job.variants.join(PROFILE_JOINER) }
        : job.variant
          ? { DPE_VARIANT: job.variant.name }
          : {},
    ixit: ixitOf(job),
    ics: job.ics,
    tags: job.tags,
    failFast: job.failFast,
    timeoutMs: RUN_TIMEOUT_MS,
    tmpRoot: ctx.work,
    keepFiles: ctx.keep,
    pool: ctx.pool,
  }).finally(() => server?.stop());
  const scenarios = r.run.scenarios.map(
    (s): ScenarioResult => ({
      key: s.location,
      name: s.name,
      uri: s.location.replace(/:\d+$/, ''),
      reqIds: requirementIdsOf(s.tags),
      status: s.worstStatus,
      message: s.statusMessage?.split('\n')[0],
      judged: [...new Set((s.verdict?.judged ?? []).map((j) => j.requirement))],
      verdict: s.verdict?.verdict,
    }),
  );
  let error: string | undefined;
  if (r.timedOut) error = `no result within ${RUN_TIMEOUT_MS / 1000} s (killed)`;
  else if (!r.run.finished)
    error = `cucumber-js ended (${r.signal ?? `exit ${r.exitCode}`}) without finishing the run: ${lastLines(r.output)}`;
  else if (r.run.runProblems.length) error = `the run failed outside scenarios: ${r.run.runProblems.join('; ')}`;
  else if (r.exitCode !== 0 && r.exitCode !== 1) error = `cucumber-js exited ${r.exitCode}: ${lastLines(r.output)}`;
  return { job, scenarios, error, ms: r.ms, unowned: r.run.unowned };
}

/** The number in `file` (0 when there is none yet, or it holds no positive integer). */
function jobsIn(file: string | undefined): number {
  if (!file) return 0;
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

/** The failed scenarios of a run, one phrase each: name, feature file, status, first line of the failure. */
export const describeFailed = (scenarios: readonly ScenarioResult[]): string =>
  scenarios
    .filter(isFail)
    .map((s) => `"${s.name}" (${s.uri}) ${s.status}${s.message ? `: ${s.message.slice(0, 160)}` : ''}`)
    .join('; ');

export const isFault = (j: Job) => j.kind === 'mutant' || j.kind === 'ind-fault';
export const isFail = (s: ScenarioResult) =>
  (s.status !== 'PASSED' && s.status !== 'SKIPPED') || s.verdict === 'fail' || s.verdict === 'error';

/**
 * Longest runs first, so the last ones to finish are short. A run's cost is estimated from the
 * scenarios it executes: an SP-outage scenario waits for a retry (up to the retry horizon when a
 * fault never retries) and costs several ordinary ones; a fail-fast run ends at its first
 * failure; a profile's behaviours slow it (delays, re-validations). Ties: the independent
 * faults first (their authors' guesses of what they break miss more often, and a miss runs
 * again on the whole suite). An estimate only orders the queue: it decides no verdict.
 */
const OUTAGE_WEIGHT = 8;
/**
 * In a fault run, an SP-outage scenario is there because the fault breaks retries: it waits out
 * the retry horizon (10 s, some 40 ordinary scenarios of about 0.25 s). report-not-retried, five
 * such scenarios, took 56 s where a whole-suite run takes 25 s; estimated as 5 × 8, it started
 * last and ended the layer alone.
 */
const FAULT_OUTAGE_WEIGHT = RETRY_HORIZON_DEFAULT_MS / 250;
const FAIL_FAST_CAP = 2 * OUTAGE_WEIGHT;
/** The suite's scenarios, parsed on the first estimate (not when this module is loaded). */
let scenarios: SuiteScenario[] | undefined;
export function cost(j: Job): number {
  scenarios ??= loadSuiteScenarios(ROOT);
  const run = selectForRun(scenarios, j.ics, j.tags).applicable;
  const outage = isFault(j) ? FAULT_OUTAGE_WEIGHT : OUTAGE_WEIGHT;
  const sum = run.reduce((n, s) => n + (s.tags.includes('@needs-sp-outage') ? outage : 1), 0);
  const weight = j.failFast ? Math.min(sum, FAIL_FAST_CAP) : sum;
  return weight + 10 * (j.members?.length ?? 0) + (j.kind === 'ind-fault' ? 0.5 : 0);
}

/** The job of a fault run again on the whole suite, because the scenarios of what it breaks did not catch it. */
export const onWholeSuite = (j: Job): Job => ({ ...j, tags: undefined, failFast: j.kind === 'ind-fault', wholeSuiteAgain: true });

/** A fault whose tagged run failed nothing and judged nothing is certainly not caught there: its whole-suite run. */
export function wholeSuiteAgain(r: RunResult): Job | undefined {
  const j = r.job;
  if (!isFault(j) || j.tags === undefined || r.error) return undefined;
  if (r.scenarios.some((s) => isFail(s) || s.judged.length) || r.unowned.length) return undefined;
  return onWholeSuite(j);
}

/**
 * Runs `list` `ctx.jobs` at a time, longest first. A fault its tagged run certainly did not catch
 * runs again on the whole suite at once (ahead of what is still waiting); its result replaces
 * the tagged one.
 */
export async function runAll(
  list: Job[],
  ctx: RunContext,
  followUp: (r: RunResult) => Job | undefined = () => undefined,
  runOne: (job: Job, ctx: RunContext) => Promise<RunResult> = runJob,
): Promise<RunResult[]> {
  const costs = new Map(list.map((job) => [job, cost(job)]));
  const queue = list.map((job, i) => ({ job, i })).sort((a, b) => costs.get(b.job)! - costs.get(a.job)!);
  const results: RunResult[] = new Array(list.length);
  let doneCount = 0;
  let total = list.length;
  let workers = 0;
  const loops: Promise<void>[] = [];
  const startWorkers = () => {
    for (; workers < Math.min(ctx.jobs, list.length); workers++) loops.push(worker());
  };
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const r = await runOne(next.job, ctx);
      results[next.i] = r;
      doneCount++;
      process.stderr.write(
        `  [${doneCount}/${total}] ${next.job.label}${next.job.wholeSuiteAgain ? ' (whole suite)' : ''} (${(r.ms / 1000).toFixed(1)} s)\n`,
      );
      const again = followUp(r);
      if (again) {
        total++;
        queue.unshift({ job: again, i: next.i });
      }
      const raised = jobsIn(ctx.jobsFile);
      if (raised > ctx.jobs) {
        process.stderr.write(`mutation: ${raised} runs at a time from now on (${ctx.jobsFile})\n`);
        ctx.jobs = raised;
        ctx.pool?.grow(raised);
        startWorkers();
      }
    }
  };
  startWorkers();
  // loops started later are pushed while earlier ones run: wait until none is left
  for (let done = 0; done < loops.length; done++) await loops[done];
  return results;
}

/**
 * A legal run that failed runs once more: one that passes then failed under load, not by its
 * reading. Its result is the second run's, with what failed the first time (`firstTry`), shown in
 * its row and the summary line, so a verdict that depends on the machine's load is never hidden;
 * one that fails again stays a false failure. Returns how many ran again.
 */
export async function runFailedLegalAgain(
  all: RunResult[],
  ctx: RunContext,
  runOne: (job: Job, ctx: RunContext) => Promise<RunResult> = runJob,
): Promise<number> {
  const failed = all
    .map((r, i) => ({ r, i }))
    // a baseline of an ICS the reference does not declare may fail: it is no false failure
    .filter(({ r }) => !isFault(r.job) && r.job.kind !== 'baseline' && !r.error && !r.unowned.length && r.scenarios.some(isFail));
  if (!failed.length) return 0;
  const again = await runAll(
    failed.map(({ r }) => r.job),
    ctx,
    undefined,
    runOne,
  );
  for (const [k, r2] of again.entries()) {
    const { r, i } = failed[k]!;
    if (r2.error || r2.unowned.length || !r2.scenarios.length || r2.scenarios.some(isFail)) continue;
    all[i] = { ...r2, firstTry: describeFailed(r.scenarios) };
  }
  return failed.length;
}
