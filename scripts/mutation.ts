/**
 * `npm run mutation`: measures the suite against faulty servers (mutants) and legal variants
 * (src/server/variants/). Each run is a child `cucumber-js -p <policy>` against the embedded
 * server built as the variant (DPE_VARIANT), with a fast IXIT and the variant's ICS, through
 * src/harness/suite-process.ts (which reads the verdicts from the run's cucumber messages).
 *
 *   mutant  caught only when a scenario tagged @req-<broken id> fails (and passed against the
 *           reference server under the same ICS)
 *   legal   must pass: every scenario that fails is a false failure
 *
 * Exits 1 below 100% caught, on any false failure (reference runs included) or when a
 * requirement has neither a mutant nor a NOT_MUTABLE entry; 2 on a run that could not run.
 * Mutants run the scenarios tagged with their broken requirements (enough to decide "caught";
 * --full runs the whole suite for them too and lists every requirement that failed). Legal
 * variants and the reference server always run the whole suite.
 * Options: --only name[,name] (subset of variants), --jobs N (default 2), --full, --keep (keep temp files).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLIENT_ID_POLICIES, referenceIcs, type ClientIdPolicy, type Ics } from '../src/config/ics';
import { DEFAULT_IXIT, type Ixit } from '../src/config/ixit';
import { REQUIREMENTS } from '../src/requirements/catalog';
import { requirementApplies, requirementIdsOf } from '../src/requirements/applicability';
import { NOT_MUTABLE, VARIANTS, type IcsOverrides, type Variant } from '../src/server/variants';
import { lastLines, runSuiteProcess } from '../src/harness/suite-process';

const ROOT = resolve(__dirname, '..');
const RUN_TIMEOUT_MS = 180_000;
// Short enough to keep mutants that drop messages quick, long enough that two runs at once on
// 2 loaded cores never make a legal variant miss it (400 ms once did in CI).
const FAST_TIMING: Ixit['timing'] = { deliveryDeadlineMs: 1000, quietPeriodMs: 80 };

// ------------------------------------------------------------------------------ arguments

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('--only')?.split(',').map((s) => s.trim()).filter(Boolean);
const jobs = Math.max(1, Number(opt('--jobs') ?? 2));
const keep = args.includes('--keep');
const full = args.includes('--full');
for (const n of only ?? []) if (!VARIANTS.some((v) => v.name === n)) fail(`--only: no variant "${n}"`);

function fail(msg: string): never {
  console.error(`mutation: ${msg}`);
  process.exit(2);
}

// ------------------------------------------------------------------------------ plan

interface Job {
  label: string;
  variant?: Variant;
  policy: ClientIdPolicy;
  ics: Ics;
  /** Key of the (policy, ICS) configuration; reference runs are made once per key. */
  config: string;
  /** Cucumber tag expression limiting the scenarios run (absent: the whole suite). */
  tags?: string;
}

function icsFor(policy: ClientIdPolicy, o: IcsOverrides = {}): Ics {
  const base = referenceIcs(policy);
  return { ...base, ...o, errata: { ...base.errata, ...o.errata } };
}

/** The policy a mutant runs under: the one its broken requirements are conditional on, else the default. */
function mutantPolicies(v: Variant): ClientIdPolicy[] {
  if (v.policies) return v.policies;
  for (const id of v.breaks) {
    const r = REQUIREMENTS.find((x) => x.id === id);
    if (r && r.status.kind !== 'mandatory' && 'ics' in r.status.when && r.status.when.ics === 'clientIdPolicy') {
      return [r.status.when.is as ClientIdPolicy];
    }
  }
  return ['per-user-and-device'];
}

const configProblems: string[] = [];
const selected = VARIANTS.filter((v) => !only || only.includes(v.name));
const jobsPlanned: Job[] = [];
for (const v of selected) {
  const policies = v.kind === 'mutant' ? mutantPolicies(v) : (v.policies ?? [...CLIENT_ID_POLICIES]);
  for (const policy of policies) {
    const ics = icsFor(policy, v.ics);
    for (const id of v.breaks) {
      const r = REQUIREMENTS.find((x) => x.id === id);
      if (!r) configProblems.push(`${v.name}: breaks "${id}", which the requirement catalog does not have`);
      else if (!requirementApplies(r, ics).applies) configProblems.push(`${v.name}: ${requirementApplies(r, ics).reason}; the mutant's ICS must make it apply`);
    }
    const tags = v.kind === 'mutant' && !full ? v.breaks.map((id) => `@req-${id}`).join(' or ') : undefined;
    jobsPlanned.push({ label: `${v.name} [${policy}]`, variant: v, policy, ics, config: JSON.stringify(ics), tags });
  }
}
// the reference server under the three policies and under every configuration a mutant runs with
// (a scenario that already fails on the reference does not count for catching a mutant)
const references = new Map<string, Job>();
const plainConfigs = CLIENT_ID_POLICIES.map((policy) => ({ policy, ics: icsFor(policy), config: JSON.stringify(icsFor(policy)) }));
for (const j of [...plainConfigs, ...jobsPlanned.filter((x) => x.variant?.kind === 'mutant')]) {
  if (!references.has(j.config)) {
    const extra = JSON.stringify(j.ics) === JSON.stringify(icsFor(j.policy)) ? '' : ' +ICS';
    references.set(j.config, { label: `reference [${j.policy}${extra}]`, policy: j.policy, ics: j.ics, config: j.config });
  }
}

// every requirement has a mutant or a reason why not
const coverageProblems: string[] = [];
if (!only) {
  for (const r of REQUIREMENTS) {
    const has = VARIANTS.some((v) => v.kind === 'mutant' && v.breaks.includes(r.id));
    if (!has && !NOT_MUTABLE[r.id]) coverageProblems.push(`${r.id} (${r.level}, ${r.source.kind}) has no mutant and no NOT_MUTABLE entry`);
    if (has && NOT_MUTABLE[r.id]) coverageProblems.push(`${r.id} has a mutant but is listed in NOT_MUTABLE`);
  }
  for (const id of Object.keys(NOT_MUTABLE)) {
    if (!REQUIREMENTS.some((r) => r.id === id)) coverageProblems.push(`NOT_MUTABLE names "${id}", which the catalog does not have`);
  }
}

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
  ms: number;
}

// per-run folders (config, IXIT, ICS, messages) go in here; --keep keeps them
const work = mkdtempSync(join(tmpdir(), 'dpe-mutation-'));
const ixit: Ixit = { ...DEFAULT_IXIT, timing: FAST_TIMING };

async function runJob(job: Job): Promise<RunResult> {
  const r = await runSuiteProcess({
    profile: job.policy,
    env: job.variant ? { DPE_VARIANT: job.variant.name } : {},
    ixit,
    ics: job.ics,
    tags: job.tags,
    timeoutMs: RUN_TIMEOUT_MS,
    tmpRoot: work,
    keepFiles: keep,
  });
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
  return { job, scenarios, error, ms: r.ms };
}

async function runAll(list: Job[]): Promise<RunResult[]> {
  const results: RunResult[] = new Array(list.length);
  let next = 0;
  let doneCount = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= list.length) return;
      results[i] = await runJob(list[i]);
      doneCount++;
      process.stderr.write(`  [${doneCount}/${list.length}] ${list[i].label} (${(results[i].ms / 1000).toFixed(1)} s)\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, list.length) }, worker));
  return results;
}

// ------------------------------------------------------------------------------ verdicts

const isFail = (s: ScenarioResult) => (s.status !== 'PASSED' && s.status !== 'SKIPPED') || s.verdict === 'fail' || s.verdict === 'error';

interface Row {
  kind: string;
  name: string;
  policy: string;
  verdict: string;
  detail: string;
  ok: boolean;
}

function judgeMutant(r: RunResult, ref: RunResult | undefined): Row {
  const v = r.job.variant!;
  const base = { kind: 'mutant', name: v.name, policy: r.job.policy };
  if (r.error) return { ...base, verdict: 'ERROR', detail: r.error, ok: false };
  const refFailed = new Set((ref?.scenarios ?? []).filter(isFail).map((s) => s.key));
  const refJudged = new Map((ref?.scenarios ?? []).map((s) => [s.key, new Set(s.judged)]));
  const failed = r.scenarios.filter((s) => (s.status === 'FAILED' || s.verdict === 'fail') && !refFailed.has(s.key));
  // a check that names the broken requirement catches it, as a failure or (derived rules) a warning
  const judging = (s: ScenarioResult, id: string) => s.judged.includes(id) && !refJudged.get(s.key)?.has(id) && !refFailed.has(s.key);
  const catches = (id: string) => r.scenarios.filter((s) => (failed.includes(s) && s.reqIds.includes(id)) || judging(s, id));
  const by = [...new Set([...failed.flatMap((s) => s.reqIds), ...r.scenarios.flatMap((s) => s.judged)])].sort();
  const missing = v.breaks.filter((id) => !catches(id).length);
  if (!missing.length) {
    const n = new Set(v.breaks.flatMap(catches)).size;
    return { ...base, verdict: 'caught', detail: `by @req-${v.breaks.join(', @req-')} (${n} scenario(s)); all failing: ${by.join(', ')}`, ok: true };
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

/** The ICS answers of a job that differ from the reference server's. */
function diffIcs(j: Job): Record<string, unknown> {
  const ref = icsFor(j.policy) as unknown as Record<string, unknown>;
  const ics = j.ics as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(ics)) if (k !== 'errata' && JSON.stringify(ics[k]) !== JSON.stringify(ref[k])) out[k] = ics[k];
  for (const [id, reading] of Object.entries(j.ics.errata)) if (icsFor(j.policy).errata[id] !== reading) out[id] = reading;
  return out;
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

async function main(): Promise<void> {
  const t0 = Date.now();
  const refJobs = [...references.values()];
  console.error(`mutation: ${refJobs.length} reference run(s), ${jobsPlanned.length} variant run(s), ${jobs} at a time`);
  const all = await runAll([...refJobs, ...jobsPlanned]);
  const refResults = new Map(all.slice(0, refJobs.length).map((r) => [r.job.config, r]));
  const rows: Row[] = [];
  const plain = new Set(plainConfigs.map((c) => c.config));
  for (const r of refResults.values()) {
    if (plain.has(r.job.config)) rows.push(judgeLegal(r, 'reference', 'reference'));
    else {
      // the reference does not declare this ICS: its failures are no false failures, only excluded from catching
      const j = judgeLegal(r, 'baseline', 'reference +ICS');
      rows.push({ ...j, ok: j.verdict !== 'ERROR', verdict: j.verdict === 'FALSE FAILURE' ? 'fails some' : j.verdict, detail: `${JSON.stringify(diffIcs(r.job))}: ${j.detail}` });
    }
  }
  const runs = all.slice(refJobs.length);
  for (const r of runs) rows.push(r.job.variant!.kind === 'mutant' ? judgeMutant(r, refResults.get(r.job.config)) : judgeLegal(r, 'legal', r.job.variant!.name));
  for (const p of configProblems) rows.push({ kind: 'config', name: '-', policy: '-', verdict: 'PROBLEM', detail: p, ok: false });
  for (const p of coverageProblems) rows.push({ kind: 'coverage', name: '-', policy: '-', verdict: 'NO MUTANT', detail: p, ok: false });
  if (!only) {
    for (const [id, why] of Object.entries(NOT_MUTABLE)) rows.push({ kind: 'not mutable', name: id, policy: '-', verdict: '-', detail: why, ok: true });
  }
  console.log('');
  printTable(rows);

  const mutants = rows.filter((r) => r.kind === 'mutant');
  const caught = mutants.filter((r) => r.ok).length;
  const falseFailures = rows.filter((r) => (r.kind === 'legal' || r.kind === 'reference') && !r.ok);
  const errors = rows.filter((r) => r.verdict === 'ERROR');
  const score = mutants.length ? (100 * caught) / mutants.length : 100;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log('');
  console.log(`Score: ${caught}/${mutants.length} mutant runs caught (${score.toFixed(1)}%)`);
  console.log(`Legal variants and reference runs: ${rows.filter((r) => (r.kind === 'legal' || r.kind === 'reference') && r.ok).length} passed, ${falseFailures.length} with false failures or errors`);
  console.log(`Time: ${secs} s for ${all.length} suite runs (${jobs} at a time)`);

  mkdirSync(join(ROOT, 'reports', 'mutation'), { recursive: true });
  writeFileSync(
    join(ROOT, 'reports', 'mutation', 'mutation.json'),
    JSON.stringify({ score, caught, mutants: mutants.length, seconds: Number(secs), rows }, null, 2),
  );
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`temp files kept in ${work}`);
  const bad = score < 100 || falseFailures.length > 0 || configProblems.length > 0 || coverageProblems.length > 0;
  process.exitCode = errors.length ? 2 : bad ? 1 : 0;
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(`mutation: ${e.stack ?? e.message}`);
    process.exit(2);
  });
}
