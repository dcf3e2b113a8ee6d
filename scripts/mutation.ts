/**
 * `npm run mutation`: proves the suite's verdicts against servers that do not share its reading
 * (scripts/mutation-plan.ts): faulty reference servers (mutants) must be caught, the legal
 * variants of the written freedoms and of each switchable erratum must pass, and the independent
 * implementation of test/independent/ — correct, with its freedoms, and with each of its faults —
 * must pass or be caught. Each run is the suite of the cucumber.js profile <policy>
 * (src/harness/suite-process.ts), in a long-lived suite worker (src/harness/suite-pool.ts) or,
 * with --no-pool, a child cucumber-js, against the embedded server built as the variant or
 * profile (DPE_VARIANT) or the independent server by URL.
 *
 *   caught   a scenario fails (or, for a derived rule, warns) on a requirement the fault breaks
 *            (independent faults: on any requirement), where the baseline under the same ICS did not
 *   passed   every scenario passes (warnings allowed); anything failing is a false failure
 *
 * The default plan is the fast one of npm test (legal behaviours together in profiles, faults on
 * the scenarios of what they break, again on the whole suite when those do not catch them);
 * --full runs the matrix: every fault and every legal behaviour alone, on the whole suite.
 * Two tables are printed: the reference variants, and the independent implementation; a legal
 * behaviour run in a profile has its own row, judged by its profile's run.
 * Exits 1 below 100% caught, on any false failure or plan problem; 2 on a run that could not run.
 * Options: --only name[,name] (variants; ind:<name> for the independent one's, reference-Exx,
 * profile:<name>), --jobs N (default 5, with --full 4), --full, --keep, --no-independent, --no-pool
 * (a child cucumber-js per run instead of long-lived suite workers, src/harness/suite-pool.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_IXIT, type Ixit } from '../src/config/ixit';
import { requirementIdsOf } from '../src/requirements/applicability';
import { NOT_MUTABLE, VARIANTS } from '../src/server/variants';
import { lastLines, runSuiteProcess } from '../src/harness/suite-process';
import { SuitePool } from '../src/harness/suite-pool';
import { PROFILE_JOINER } from '../src/harness/variant-profile';
import { OUT_OF_SCOPE, plan, type Job } from './mutation-plan';
import { startIndependent } from './independent-server';

const ROOT = resolve(__dirname, '..');
const RUN_TIMEOUT_MS = 240_000;
// Short enough to keep mutants that drop messages quick, long enough that several runs at once on
// 2 loaded cores never make a legal variant miss it (400 ms once did in CI).
const FAST_TIMING: Ixit['timing'] = { deliveryDeadlineMs: 1000, quietPeriodMs: 100 };

// ------------------------------------------------------------------------------ arguments

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('--only')?.split(',').map((s) => s.trim()).filter(Boolean);
const keep = args.includes('--keep');
const full = args.includes('--full');
// Runs wait far more than they compute (settle windows, quiet periods, deadlines): several per
// core. More at once stretch the waits of each (a loaded machine delays deliveries), so the matrix,
// which has no time budget, runs fewer.
const DEFAULT_JOBS = full ? 4 : 5;
const jobs = Math.max(1, Number(opt('--jobs') ?? DEFAULT_JOBS));
const withIndependent = !args.includes('--no-independent');
// long-lived suite workers load cucumber and the steps once for many runs; --no-pool: a child cucumber-js per run
const pool = args.includes('--no-pool') ? undefined : new SuitePool(jobs);
for (const n of only ?? []) if (!/^(ind:|reference-|profile:)/.test(n) && !VARIANTS.some((v) => v.name === n)) fail(`--only: no variant "${n}"`);

function fail(msg: string): never {
  console.error(`mutation: ${msg}`);
  process.exit(2);
}

const planned = plan({ only, full, independent: withIndependent });

// ------------------------------------------------------------------------------ running

interface ScenarioResult {
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

interface RunResult {
  job: Job;
  scenarios: ScenarioResult[];
  /** Why the run itself went wrong (timeout, crash, no messages), if it did. */
  error?: string;
  /** Messages the target sent that no scenario can own (a failure of the run). */
  unowned: string[];
  ms: number;
}

// per-run folders (config, IXIT, ICS, messages) go in here; --keep keeps them
const work = mkdtempSync(join(tmpdir(), 'dpe-mutation-'));
const ixit: Ixit = { ...DEFAULT_IXIT, timing: FAST_TIMING };

// the independent server is reached by URL and onboarded through its provisioning endpoint
const ixitIndependent: Ixit = { ...ixit, onboardThroughProvisioning: true };

async function runJob(job: Job): Promise<RunResult> {
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
    env: server ? { DPE_TARGET: server.url } : job.variants?.length ? { DPE_VARIANT: job.variants.join(PROFILE_JOINER) } : job.variant ? { DPE_VARIANT: job.variant.name } : {},
    ixit: server ? ixitIndependent : ixit,
    ics: job.ics,
    tags: job.tags,
    failFast: job.failFast,
    timeoutMs: RUN_TIMEOUT_MS,
    tmpRoot: work,
    keepFiles: keep,
    pool,
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
  else if (!r.run.finished) error = `cucumber-js ended (${r.signal ?? `exit ${r.exitCode}`}) without finishing the run: ${lastLines(r.output)}`;
  else if (r.run.runProblems.length) error = `the run failed outside scenarios: ${r.run.runProblems.join('; ')}`;
  else if (r.exitCode !== 0 && r.exitCode !== 1) error = `cucumber-js exited ${r.exitCode}: ${lastLines(r.output)}`;
  return { job, scenarios, error, ms: r.ms, unowned: r.run.unowned };
}

const isFault = (j: Job) => j.kind === 'mutant' || j.kind === 'ind-fault';
const isFail = (s: ScenarioResult) => (s.status !== 'PASSED' && s.status !== 'SKIPPED') || s.verdict === 'fail' || s.verdict === 'error';

/**
 * Longest runs first, so the last ones to finish are short: whole-suite runs (profiles first), then
 * tagged ones, the independent faults first (their authors' guesses of what they break miss more
 * often, and a miss runs again on the whole suite).
 */
const cost = (j: Job) => (j.tags ? (j.kind === 'ind-fault' ? 2 : 1) : 10 + (j.members?.length ?? 0));

/** A fault whose tagged run failed nothing and judged nothing is certainly not caught there: its whole-suite run. */
function wholeSuiteAgain(r: RunResult): Job | undefined {
  const j = r.job;
  if (!isFault(j) || j.tags === undefined || r.error) return undefined;
  if (r.scenarios.some((s) => isFail(s) || s.judged.length) || r.unowned.length) return undefined;
  return { ...j, tags: undefined, failFast: j.kind === 'ind-fault', wholeSuiteAgain: true };
}

/**
 * Runs `list` `jobs` at a time, longest first. A fault its tagged run certainly did not catch
 * runs again on the whole suite at once (ahead of what is still waiting); its result replaces
 * the tagged one.
 */
async function runAll(list: Job[], followUp: (r: RunResult) => Job | undefined = () => undefined): Promise<RunResult[]> {
  const queue = list.map((job, i) => ({ job, i })).sort((a, b) => cost(b.job) - cost(a.job));
  const results: RunResult[] = new Array(list.length);
  let doneCount = 0;
  let total = list.length;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const r = await runJob(next.job);
      results[next.i] = r;
      doneCount++;
      process.stderr.write(`  [${doneCount}/${total}] ${next.job.label}${next.job.wholeSuiteAgain ? ' (whole suite)' : ''} (${(r.ms / 1000).toFixed(1)} s)\n`);
      const again = followUp(r);
      if (again) {
        total++;
        queue.unshift({ job: again, i: next.i });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, list.length) }, worker));
  return results;
}

// ------------------------------------------------------------------------------ verdicts

interface Row {
  kind: string;
  name: string;
  policy: string;
  verdict: string;
  detail: string;
  ok: boolean;
}

/**
 * A fault is caught when, compared with its baseline, a scenario fails on (or a check warns about)
 * a requirement it breaks; an independent fault, whose breaks are its author's guess, by any.
 */
function judgeFault(r: RunResult, ref: RunResult | undefined): Row {
  const j = r.job;
  const base = { kind: j.kind, name: j.name, policy: j.policy };
  if (r.error) return { ...base, verdict: 'ERROR', detail: r.error, ok: false };
  const whole = j.wholeSuiteAgain ? ' (on the whole suite: the scenarios of what it breaks did not catch it)' : '';
  const refFailed = new Set((ref?.scenarios ?? []).filter(isFail).map((s) => s.key));
  const refJudged = new Map((ref?.scenarios ?? []).map((s) => [s.key, new Set(s.judged)]));
  const failed = r.scenarios.filter((s) => (s.status === 'FAILED' || s.verdict === 'fail') && !refFailed.has(s.key));
  // a check that names the broken requirement catches it, as a failure or (derived rules) a warning
  const judging = (s: ScenarioResult, id: string) => s.judged.includes(id) && !refJudged.get(s.key)?.has(id) && !refFailed.has(s.key);
  const catches = (id: string) => r.scenarios.filter((s) => (failed.includes(s) && (s.reqIds.includes(id) || s.judged.includes(id))) || judging(s, id));
  const newly = (s: ScenarioResult) => s.judged.filter((id) => !refJudged.get(s.key)?.has(id));
  const by = [...new Set([...failed.flatMap((s) => (s.judged.length ? s.judged : s.reqIds)), ...r.scenarios.flatMap(newly), ...(r.unowned.length ? ['(messages no scenario owns)'] : [])])].sort();
  if (j.kind === 'ind-fault') {
    if (!by.length) return { ...base, verdict: 'NOT CAUGHT', detail: `no scenario failed or warned (its author meant it to break ${j.breaks.join(', ')})`, ok: false };
    const asMeant = j.breaks.filter((id) => by.includes(id));
    return { ...base, verdict: 'caught', detail: `by ${by.join(', ')}${asMeant.length ? '' : ` (its author meant ${j.breaks.join(', ')})`}; ${failed.length} scenario(s) failed${whole}`, ok: true };
  }
  const missing = j.breaks.filter((id) => !catches(id).length);
  if (!missing.length) {
    const n = new Set(j.breaks.flatMap(catches)).size;
    return { ...base, verdict: 'caught', detail: `by @req-${j.breaks.join(', @req-')} (${n} scenario(s)); all failing: ${by.join(', ')}${whole}`, ok: true };
  }
  const why = missing.map((id) => {
    const tagged = r.scenarios.filter((s) => s.reqIds.includes(id));
    const ran = tagged.filter((s) => s.status !== 'SKIPPED');
    if (!tagged.length) return `${id}: missing scenario (none tagged @req-${id})`;
    if (!ran.length) return `${id}: missing scenario (the ${tagged.length} tagged were skipped as not applicable)`;
    return `${id}: weak check (${ran.length} tagged scenario(s) passed)`;
  });
  return { ...base, verdict: 'NOT CAUGHT', detail: `${why.join('; ')}${by.length ? `; other failures: ${by.join(', ')}` : ''}`, ok: false };
}

function judgeLegal(r: RunResult, kind: string, name: string): Row {
  const base = { kind, name, policy: r.job.policy };
  if (r.error) return { ...base, verdict: 'ERROR', detail: r.error, ok: false };
  const bad = r.scenarios.filter(isFail);
  if (!r.scenarios.length) return { ...base, verdict: 'ERROR', detail: 'no scenario ran', ok: false };
  if (r.unowned.length) return { ...base, verdict: 'FALSE FAILURE', detail: `${r.unowned.length} message(s) no scenario owns: ${r.unowned[0]!.slice(0, 200)}`, ok: false };
  if (!bad.length) {
    const skipped = r.scenarios.filter((s) => s.status === 'SKIPPED').length;
    return { ...base, verdict: 'passed', detail: `${r.scenarios.length - skipped} passed, ${skipped} not applicable`, ok: true };
  }
  return {
    ...base,
    verdict: 'FALSE FAILURE',
    detail: bad.map((s) => `"${s.name}" (${s.uri}) ${s.status}${s.message ? `: ${s.message.slice(0, 160)}` : ''}`).join('; '),
    ok: false,
  };
}

/** One row per behaviour of a profile, each judged by the profile's one run. */
function judgeProfile(r: RunResult, members: Job[]): Row[] {
  return members.map((m) => {
    const j = judgeLegal(r, m.kind, m.name);
    const others = `in ${r.job.name} with ${members.length - 1} other behaviour(s)`;
    const alone = `npm run mutation -- --only ${members.map((x) => x.variant?.name ?? (x.kind === 'erratum' ? `reference-${x.key!.split(':')[0]}` : x.key)).join(',')}`;
    return { ...j, detail: j.ok ? `${j.detail} (${others})` : `${j.detail} (${others}; to run each alone: ${alone})` };
  });
}

function printTable(rows: Row[]): void {
  const w = (k: keyof Row) => Math.max(k.length, ...rows.map((r) => String(r[k]).length));
  const wk = w('kind');
  const wn = w('name');
  const wp = w('policy');
  const wv = w('verdict');
  const line = (r: Pick<Row, 'kind' | 'name' | 'policy' | 'verdict' | 'detail'>) =>
    `${r.kind.padEnd(wk)}  ${r.name.padEnd(wn)}  ${r.policy.padEnd(wp)}  ${r.verdict.padEnd(wv)}  ${r.detail}`;
  console.log(line({ kind: 'kind', name: 'name', policy: 'policy', verdict: 'verdict', detail: 'detail' }));
  console.log('-'.repeat(Math.min(160, wk + wn + wp + wv + 40)));
  for (const r of rows) console.log(line(r));
}

const REFERENCE_KINDS = new Set(['reference', 'baseline', 'mutant', 'freedom', 'erratum']);

async function main(): Promise<void> {
  const t0 = Date.now();
  const { baselines, jobs: variantJobs, problems } = planned;
  console.error(`mutation: ${baselines.length} baseline run(s), ${variantJobs.length} variant run(s), ${jobs} at a time`);
  const all = await runAll([...baselines, ...variantJobs], wholeSuiteAgain);
  const byConfig = new Map(all.slice(0, baselines.length).map((r) => [r.job.config, r]));
  // a fault the scenarios of what it breaks did not catch is judged on the whole suite, as the matrix judges it
  const again = all
    .map((r, i) => ({ r, i }))
    .filter(({ r, i }) => i >= baselines.length && isFault(r.job) && r.job.tags !== undefined && !r.job.wholeSuiteAgain && !judgeFault(r, byConfig.get(r.job.config)).ok);
  if (again.length) {
    console.error(`mutation: ${again.length} fault run(s) not caught by the scenarios of what they break; again on the whole suite`);
    const whole = await runAll(again.map(({ r }) => ({ ...r.job, tags: undefined, failFast: r.job.kind === 'ind-fault', wholeSuiteAgain: true })));
    whole.forEach((w, k) => (all[again[k]!.i] = w));
  }
  const rows: Row[] = [];
  for (const r of all.slice(0, baselines.length)) {
    if (r.job.kind === 'baseline') {
      // the reference does not declare this ICS: its failures are no false failures, only excluded from catching
      const j = judgeLegal(r, 'baseline', 'reference +ICS');
      rows.push({ ...j, ok: j.verdict !== 'ERROR', verdict: j.verdict === 'FALSE FAILURE' ? 'fails some' : j.verdict });
    } else rows.push(judgeLegal(r, r.job.kind, r.job.name));
  }
  for (const r of all.slice(baselines.length)) {
    if (isFault(r.job)) rows.push(judgeFault(r, byConfig.get(r.job.config)));
    else if (r.job.members) rows.push(...judgeProfile(r, r.job.members));
    else rows.push(judgeLegal(r, r.job.kind, r.job.name));
  }
  for (const p of problems) rows.push({ kind: 'plan', name: '-', policy: '-', verdict: 'PROBLEM', detail: p, ok: false });
  if (!only) for (const [id, why] of Object.entries(NOT_MUTABLE)) rows.push({ kind: 'not mutable', name: id, policy: '-', verdict: '-', detail: why, ok: true });
  if (!only && withIndependent) for (const [name, why] of Object.entries(OUT_OF_SCOPE)) rows.push({ kind: 'ind-out-of-scope', name, policy: '-', verdict: '-', detail: why, ok: true });

  const tables: Array<[string, Row[]]> = [
    ['The reference server: mutants, the written freedoms, the errata in both readings', rows.filter((r) => REFERENCE_KINDS.has(r.kind) || r.kind === 'not mutable' || r.kind === 'plan')],
    ['The independent implementation (test/independent/, written from docs/ and the CR alone)', rows.filter((r) => r.kind.startsWith('ind'))],
  ];
  for (const [title, list] of tables) {
    if (!list.length) continue;
    console.log(`\n## ${title}\n`);
    printTable(list);
    const faults = list.filter((r) => r.kind === 'mutant' || r.kind === 'ind-fault');
    const legal = list.filter((r) => !['mutant', 'ind-fault', 'not mutable', 'ind-out-of-scope', 'plan', 'baseline'].includes(r.kind));
    console.log(`\n${faults.filter((r) => r.ok).length}/${faults.length} faults caught; ${legal.filter((r) => r.ok).length}/${legal.length} legal behaviours passed (${legal.filter((r) => !r.ok).length} false failures or errors)`);
  }
  const faults = rows.filter((r) => r.kind === 'mutant' || r.kind === 'ind-fault');
  const caught = faults.filter((r) => r.ok).length;
  const falseFailures = rows.filter((r) => ['reference', 'freedom', 'erratum', 'independent', 'ind-freedom'].includes(r.kind) && !r.ok);
  const errors = rows.filter((r) => r.verdict === 'ERROR');
  const score = faults.length ? (100 * caught) / faults.length : 100;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log('');
  console.log(`Score: ${caught}/${faults.length} fault runs caught (${score.toFixed(1)}%); ${falseFailures.length} false failures or errors in legal runs`);
  const wholeAgain = all.filter((r) => r.job.wholeSuiteAgain).length;
  console.log(`Time: ${secs} s for ${all.length + wholeAgain} suite runs (${jobs} at a time; ${full ? 'the matrix, --full' : 'the fast plan; --full runs the matrix'})`);

  pool?.close();
  mkdirSync(join(ROOT, 'reports', 'mutation'), { recursive: true });
  writeFileSync(join(ROOT, 'reports', 'mutation', 'mutation.json'), JSON.stringify({ score, caught, faults: faults.length, seconds: Number(secs), rows }, null, 2));
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`temp files kept in ${work}`);
  const bad = score < 100 || falseFailures.length > 0 || problems.length > 0;
  process.exitCode = errors.length ? 2 : bad ? 1 : 0;
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(`mutation: ${e.stack ?? e.message}`);
    process.exit(2);
  });
}
