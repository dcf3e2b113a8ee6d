/**
 * How `npm run mutation` schedules its runs (scripts/mutation-runner.ts): the longest first by an
 * estimate from the scenarios each executes, and more at a time once npm test says the layer runs
 * alone (--jobs-file). A run is faked here: scheduling decides no verdict.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from '../../scripts/mutation-job';
import { plan } from '../../scripts/mutation-plan';
import type { RunContext, RunResult } from '../../scripts/mutation-runner';
import type { ScenarioResult } from '../../scripts/mutation-runner';
import { cost, runAll, runFailedLegalAgain } from '../../scripts/mutation-runner';
import { judgeLegal } from '../../scripts/mutation-verdicts';

const fast = plan({ full: false, independent: true });
const all = [...fast.baselines, ...fast.jobs];
const named = (label: string) => {
  const j = all.find((x) => x.label.startsWith(label));
  assert.ok(j, `the fast plan has a run "${label}"`);
  return j;
};

describe('the order of the runs', () => {
  it('puts whole-suite runs first, the profiles of several behaviours before single ones', () => {
    const wholeSuite = named('reference [per-user-and-device]');
    assert.ok(cost(named('profile freedoms-delayed')) > cost(wholeSuite));
    const outage = (j: Job) => j.breaks.includes('cid.report-survives-sp-outage');
    for (const tagged of all.filter((j) => j.tags !== undefined && !outage(j))) assert.ok(cost(wholeSuite) > cost(tagged), tagged.label);
  });

  it('puts a fault run of the SP-outage scenarios (the retry horizon waited out in each) before a whole-suite run', () => {
    // measured: report-not-retried 56 s, a whole-suite run of the reference server 25 s
    assert.ok(cost(named('report-not-retried')) > cost(named('reference [per-user-and-device]')));
    assert.ok(cost(named('report-not-retried')) > cost(named('no-group-policy-sets')));
  });
});

describe('runs at a time', () => {
  const job = (i: number): Job => ({ ...named('no-group-policy-sets'), label: `run ${i}` });
  const result = (j: Job): RunResult => ({ job: j, scenarios: [], unowned: [], ms: 0 });

  it('keeps to ctx.jobs, and rises to what the jobs file says as runs end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpe-jobs-'));
    try {
      const jobsFile = join(dir, 'mutation.jobs');
      const ctx: RunContext = { jobs: 2, work: dir, keep: false, jobsFile };
      let running = 0;
      const seen: number[] = [];
      let started = 0;
      const runOne = async (j: Job): Promise<RunResult> => {
        running++;
        started++;
        seen.push(running);
        // the file is written while the first runs go: the next run to end reads it
        if (started === 2) writeFileSync(jobsFile, '4\n');
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return result(j);
      };
      const list = Array.from({ length: 12 }, (_, i) => job(i));
      const results = await runAll(list, ctx, undefined, runOne);
      assert.equal(results.length, 12);
      assert.deepEqual(
        results.map((r) => r.job.label),
        list.map((j) => j.label),
        'each result in the place of its job',
      );
      assert.deepEqual(seen.slice(0, 2), [1, 2], 'two at a time at first');
      assert.equal(Math.max(...seen), 4, 'four at a time once the file says so, never more');
      assert.equal(ctx.jobs, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a jobs file that is missing, not a positive integer, or lower', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpe-jobs-'));
    try {
      for (const text of [undefined, 'many', '0', '1']) {
        const jobsFile = join(dir, 'mutation.jobs');
        rmSync(jobsFile, { force: true });
        if (text !== undefined) writeFileSync(jobsFile, text);
        const ctx: RunContext = { jobs: 2, work: dir, keep: false, jobsFile };
        let running = 0;
        let most = 0;
        await runAll(
          Array.from({ length: 6 }, (_, i) => job(i)),
          ctx,
          undefined,
          async (j) => {
            most = Math.max(most, ++running);
            await new Promise((r) => setTimeout(r, 2));
            running--;
            return result(j);
          },
        );
        assert.equal(most, 2, `jobs file ${JSON.stringify(text)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a legal run that failed', () => {
  const scenario = (status: string): ScenarioResult => ({
    key: 'f:1',
    name: 'S',
    uri: 'f',
    reqIds: [],
    status,
    judged: [],
    message: 'late set',
  });
  const legal = named('reference [per-user-and-device]');
  const fault = named('no-group-policy-sets');
  const ctx: RunContext = { jobs: 2, work: tmpdir(), keep: false };

  it('runs once more; passing then, it passes with what failed the first time in its row', async () => {
    const all: RunResult[] = [
      { job: legal, scenarios: [scenario('FAILED')], unowned: [], ms: 1 },
      { job: fault, scenarios: [scenario('FAILED')], unowned: [], ms: 1 },
    ];
    const ran: string[] = [];
    const n = await runFailedLegalAgain(all, ctx, async (j) => {
      ran.push(j.label);
      return { job: j, scenarios: [scenario('PASSED')], unowned: [], ms: 1 };
    });
    assert.equal(n, 1);
    assert.deepEqual(ran, [legal.label], 'only the legal run: a failing fault is caught, not retried');
    const row = judgeLegal(all[0]!, legal.kind, legal.name);
    assert.equal(row.ok, true);
    assert.equal(row.verdict, 'passed 2nd');
    assert.match(row.detail, /the first failed: "S" \(f\) FAILED: late set/);
    assert.equal(all[1]!.firstTry, undefined);
  });

  it('failing again, stays a false failure', async () => {
    const all: RunResult[] = [{ job: legal, scenarios: [scenario('FAILED')], unowned: [], ms: 1 }];
    await runFailedLegalAgain(all, ctx, async (j) => ({ job: j, scenarios: [scenario('FAILED')], unowned: [], ms: 1 }));
    const row = judgeLegal(all[0]!, legal.kind, legal.name);
    assert.equal(row.ok, false);
    assert.equal(row.verdict, 'FALSE FAILURE');
  });
});
