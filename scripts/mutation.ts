/**
 * `npm run mutation`: proves the suite's verdicts against servers that do not share its reading
 * (scripts/mutation-plan.ts): faulty reference servers (mutants) must be caught, the legal
 * variants of the written freedoms and of each switchable erratum must pass, and the independent
 * implementation of test/independent/ — correct, with its freedoms, and with each of its faults —
 * must pass or be caught. Each run is the suite of the cucumber.js profile <policy>
 * (src/harness/suite-process.ts), in a long-lived suite worker (src/harness/suite-pool.ts) or,
 * with --no-pool, a child cucumber-js, against the embedded server built as the variant or
 * profile (DPE_VARIANT) or the independent server by URL (scripts/mutation-runner.ts); each is
 * judged caught or passed (scripts/mutation-verdicts.ts) and printed (scripts/mutation-report.ts).
 *
 * The default plan is the fast one of npm test (legal behaviours together in profiles, faults on
 * the scenarios of what they break, again on the whole suite when those do not catch them);
 * --full runs the matrix: every fault and every legal behaviour alone, on the whole suite.
 * Two tables are printed: the reference variants, and the independent implementation; a legal
 * behaviour run in a profile has its own row, judged by its profile's run.
 * A legal run that fails runs once more; passing then, its row says "passed 2nd" with what failed
 * the first time (a false failure under load, shown, not hidden); failing again, it is a false failure.
 * Exits 1 below 100% caught, on any false failure or plan problem; 2 on a run that could not run.
 * Options: --only name[,name] (variants; ind:<name> for the independent one's, reference-Exx,
 * profile:<name>), --jobs N (default 5, with --full 4), --jobs-file F (a file holding a larger
 * number of runs at a time, read again as runs end: npm test writes one once this layer runs
 * alone), --full, --keep, --no-independent, --no-pool (a child cucumber-js per run instead of
 * long-lived suite workers, src/harness/suite-pool.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VARIANTS } from '../src/server/variants';
import { SuitePool } from '../src/harness/suite-pool';
import { plan } from './mutation-plan';
import type { RunContext } from './mutation-runner';
import { isFault, onWholeSuite, runAll, runFailedLegalAgain, wholeSuiteAgain } from './mutation-runner';
import { judgeFault, rowsOf } from './mutation-verdicts';
import { printTables, scoreOf, writeReport } from './mutation-report';

const ROOT = resolve(__dirname, '..');

// ------------------------------------------------------------------------------ arguments

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('--only')
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const keep = args.includes('--keep');
const full = args.includes('--full');
// Runs wait far more than they compute (settle windows, quiet periods, deadlines): several per
// core. More at once stretch the waits of each (a loaded machine delays deliveries); legal runs
// get a patient deadline for that (scripts/mutation-runner.ts), and the matrix, which has no time
// budget, runs fewer. 5 beside npm test's other layers; npm test raises it as they end (--jobs-file).
const DEFAULT_JOBS = full ? 4 : 5;
const jobs = Math.max(1, Number(opt('--jobs') ?? DEFAULT_JOBS));
const withIndependent = !args.includes('--no-independent');
// long-lived suite workers load cucumber and the steps once for many runs; --no-pool: a child cucumber-js per run
const pool = args.includes('--no-pool') ? undefined : new SuitePool(jobs);
for (const n of only ?? [])
  if (!/^(ind:|reference-|profile:)/.test(n) && !VARIANTS.some((v) => v.name === n)) fail(`--only: no variant "${n}"`);

function fail(msg: string): never {
  console.error(`mutation: ${msg}`);
  process.exit(2);
}

const planned = plan({ only, full, independent: withIndependent });

// ------------------------------------------------------------------------------ the run

async function main(): Promise<void> {
  const t0 = Date.now();
  const { baselines, jobs: variantJobs, problems } = planned;
  // per-run folders (config, IXIT, ICS, messages) go in here; --keep keeps them
  const jobsFile = opt('--jobs-file');
  const ctx: RunContext = { jobs, work: mkdtempSync(join(tmpdir(), 'dpe-mutation-')), keep, pool, ...(jobsFile ? { jobsFile } : {}) };
  console.error(`mutation: ${baselines.length} baseline run(s), ${variantJobs.length} variant run(s), ${jobs} at a time`);
  const all = await runAll([...baselines, ...variantJobs], ctx, wholeSuiteAgain);
  const byConfig = new Map(all.slice(0, baselines.length).map((r) => [r.job.config, r]));
  // a fault the scenarios of what it breaks did not catch is judged on the whole suite, as the matrix judges it
  const again = all
    .map((r, i) => ({ r, i }))
    .filter(
      ({ r, i }) =>
        i >= baselines.length &&
        isFault(r.job) &&
        r.job.tags !== undefined &&
        !r.job.wholeSuiteAgain &&
        !judgeFault(r, byConfig.get(r.job.config)).ok,
    );
  if (again.length) {
    console.error(`mutation: ${again.length} fault run(s) not caught by the scenarios of what they break; again on the whole suite`);
    const whole = await runAll(
      again.map(({ r }) => onWholeSuite(r.job)),
      ctx,
    );
    for (const [k, w] of whole.entries()) all[again[k]!.i] = w;
  }
  const second = await runFailedLegalAgain(all, ctx);
  if (second) console.error(`mutation: ${second} legal run(s) failed and ran once more`);
  const rows = rowsOf(all, baselines.length, problems, { only, withIndependent });
  printTables(rows);
  const s = scoreOf(rows);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log('');
  console.log(
    `Score: ${s.caught}/${s.faults} fault runs caught (${s.score.toFixed(1)}%); ${s.falseFailures} false failures or errors in legal runs`,
  );
  const secondTries = all.filter((r) => r.firstTry).length;
  if (secondTries)
    console.log(`${secondTries} legal run(s) failed once and passed when run again (rows "passed 2nd": what failed is in their detail)`);
  const wholeAgain = all.filter((r) => r.job.wholeSuiteAgain).length;
  console.log(
    `Time: ${secs} s for ${all.length + wholeAgain} suite runs (${ctx.jobs > jobs ? `${jobs}, then ${ctx.jobs}` : jobs} at a time; ${full ? 'the matrix, --full' : 'the fast plan; --full runs the matrix'})`,
  );

  pool?.close();
  writeReport(ROOT, s, Number(secs), rows);
  if (!keep) rmSync(ctx.work, { recursive: true, force: true });
  else console.log(`temp files kept in ${ctx.work}`);
  const bad = s.score < 100 || s.falseFailures > 0 || problems.length > 0;
  process.exitCode = s.errors ? 2 : bad ? 1 : 0;
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(`mutation: ${e.stack ?? e.message}`);
    process.exit(2);
  });
}
