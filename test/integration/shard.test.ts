/**
 * Sharding over machines (issue 9, item 3): `run --shard k/n` runs a deterministic slice — every
 * selected scenario in exactly one shard, for any n (a property over the real suite) — and
 * `merge` joins the shards' summaries into the certificate one full run gives, refusing (exit 2)
 * shards that are missing, given twice, or of another suite or ICS.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { referenceIcs } from '../../src/config/ics';
import { cucumberPaths, parseShard, shardOf } from '../../src/cli/shard';
import { loadSuiteScenarios } from '../../src/cli/suite-scenarios';
import { scenarioApplies } from '../../src/requirements/applicability';
import { WAIT_KINDS } from '../../src/harness/wait-ledger';
import type { Summary } from '../../src/report/summary';
import { escapeHtml } from '../../src/report/report-pages';
import type { CliRun } from './cli-support';
import { cli, ROOT, tempDir } from './cli-support';

const SUITE = loadSuiteScenarios(ROOT);
const ICS = referenceIcs('per-user-and-device');

describe('--shard k/n: a deterministic partition of the selection', () => {
  it('puts every selected scenario in exactly one shard, for any n, whatever order they come in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(SUITE, { minLength: 1 }), fc.integer({ min: 1, max: 12 }), (selected, n) => {
        const shards = Array.from({ length: n }, (_, i) => shardOf(selected, { index: i + 1, total: n }, ICS));
        const all = shards.flat().map((s) => s.location);
        assert.equal(all.length, selected.length, 'no scenario twice');
        assert.deepEqual(new Set(all), new Set(selected.map((s) => s.location)), 'every scenario once');
        // the same selection in another order is cut the same way
        const again = shardOf([...selected].reverse(), { index: 1, total: n }, ICS);
        assert.deepEqual(
          again.map((s) => s.location),
          shards[0]!.map((s) => s.location),
        );
        // applicable scenarios (the ones that cost time) are dealt evenly
        const sizes = shards.map((sh) => sh.filter((s) => scenarioApplies(s.tags, ICS).applies).length);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `applicable per shard: ${sizes.join(', ')}`);
      }),
      { numRuns: 200 },
    );
  });

  it('gives cucumber one path per feature file with the lines of exactly the shard', () => {
    const shard = shardOf(SUITE, { index: 2, total: 3 }, ICS);
    const paths = cucumberPaths(shard);
    const lines = paths.flatMap((p) => {
      const [file, ...ls] = p.split(':');
      return ls.map((l) => `${file}:${l}`);
    });
    assert.deepEqual(new Set(lines), new Set(shard.map((s) => s.location)));
    assert.equal(new Set(paths.map((p) => p.split(':')[0])).size, paths.length);
  });

  it('parses k/n and refuses anything else with the fix', () => {
    assert.deepEqual(parseShard('2/3'), { index: 2, total: 3 });
    assert.deepEqual(parseShard(' 1 / 1 '), { index: 1, total: 1 });
    for (const bad of ['0/2', '3/2', 'x', '1/0', '-1/2', '1.5/2', '2', '1/2/3'])
      assert.throws(() => parseShard(bad), /k\/n|n must be|k must be/, bad);
  });
});

describe('merge: the shards of one run into one certificate', { concurrency: false }, () => {
  const reports = tempDir('dpe-shards-');
  // a faulty server, so that the merged verdicts have something to agree on
  const env = { DPE_VARIANT: 'no-report-on-replacement' };
  const tags = ['--tags', '@clause-8.2.3', '--parallel', '0', '--reports-dir', reports];
  const summaryOf = (runId: string) => JSON.parse(readFileSync(join(reports, runId, 'summary.json'), 'utf8')) as Summary;
  const file = (runId: string) => join(reports, runId, 'summary.json');
  const merge = (args: string[]) => cli(['merge', ...args, '--reports-dir', reports], { deadlineMs: 60_000 });
  const refused = (r: CliRun, message: RegExp) => {
    assert.equal(r.code, 2, `exit code\n${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /\n {2}fix: \S/);
  };

  before(async () => {
    const runs = await Promise.all([
      cli(['run', ...tags, '--run-id', 'full'], { env, deadlineMs: 120_000 }),
      ...[1, 2, 3].map((k) => cli(['run', ...tags, '--shard', `${k}/3`, '--run-id', `s${k}`], { env, deadlineMs: 120_000 })),
    ]);
    assert.equal(runs[0]!.code, 1, `the full run finds the fault\n${runs[0]!.stderr}`);
    // a shard passes or fails by the scenarios it holds: never an environment error
    for (const r of runs.slice(1)) assert.ok(r.code === 0 || r.code === 1, `shard exit code ${r.code}\n${r.stderr}`);
  });

  it('each shard records its slice, the whole selection and the digests', () => {
    const s = [1, 2, 3].map((k) => summaryOf(`s${k}`));
    for (const [i, x] of s.entries()) {
      assert.deepEqual([x.shard?.index, x.shard?.total], [i + 1, 3]);
      assert.match(x.suite.digest, /^sha256:[0-9a-f]{64}$/);
      assert.match(x.ics.digest, /^sha256:[0-9a-f]{64}$/);
      assert.match(x.ixit.digest, /^sha256:[0-9a-f]{64}$/);
      assert.equal(x.partial, true);
    }
    assert.deepEqual(s.flatMap((x) => x.selection.keys).sort(), [...summaryOf('full').selection.keys].sort());
    assert.deepEqual(s[0]!.shard!.of, summaryOf('full').selection.keys);
  });

  it('three shards merge into the verdicts of one full run, with its exit code', async () => {
    const r = await merge([file('s2'), file('s3'), file('s1'), '--run-id', 'merged']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /merged 3 shard\(s\) into merged: FAIL/);
    const full = summaryOf('full');
    const merged = summaryOf('merged');
    const byLocation = (x: Summary) => x.scenarios.map((s) => [s.location, s.verdict, s.requirements.join(' ')]);
    assert.deepEqual(byLocation(merged), byLocation(full));
    assert.deepEqual(
      merged.requirements.map((q) => [q.id, q.verdict]),
      full.requirements.map((q) => [q.id, q.verdict]),
    );
    assert.deepEqual([merged.verdict, merged.partial, merged.certified, merged.shard], [full.verdict, full.partial, full.certified, null]);
    assert.deepEqual(
      merged.mergedFrom?.map((m) => m.shard),
      ['1/3', '2/3', '3/3'],
    );
    assert.match(readFileSync(join(reports, 'merged', 'summary.md'), 'utf8'), /\| Merged from \| shard 1\/3/);
    // where the time went: the shards' wait ledgers added up, kind by kind
    const shards = [1, 2, 3].map((k) => summaryOf(`s${k}`).waits!);
    assert.ok(merged.waits && shards.every(Boolean), 'every run records its waits');
    assert.equal(
      merged.waits.scenarios,
      shards.reduce((n, w) => n + w.scenarios, 0),
    );
    for (const kind of WAIT_KINDS) {
      const of = shards.map((w) => w.byKind[kind]);
      assert.deepEqual(
        merged.waits.byKind[kind],
        { count: of.reduce((n, t) => n + t.count, 0), ms: of.reduce((n, t) => n + t.ms, 0) },
        kind,
      );
    }
  });

  it("the merged folder has the pages a run folder has: the run report, and cucumber's HTML and JUnit of every scenario", () => {
    const page = (runId: string, f: string) => readFileSync(join(reports, runId, f), 'utf8');
    const suite = (xml: string) => {
      const m = /<testsuite name="dpe-conformance"[^>]* tests="(\d+)" skipped="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(xml);
      assert.ok(m, `a JUnit testsuite: ${xml.slice(0, 200)}`);
      const cases = [...xml.matchAll(/<testcase classname="[^"]*" name="([^"]*)"/g)].map((c) => c[1]).sort();
      return { counts: m.slice(1).map(Number), cases };
    };
    assert.deepEqual(suite(page('merged', 'cucumber-report.xml')), suite(page('full', 'cucumber-report.xml')));
    assert.match(page('merged', 'cucumber-report.html'), /<section id="dpe-verdict" class="dpe-banner[^"]*" data-verdict="fail"/);
    assert.match(page('merged', 'index.html'), /data-verdict="fail"/);
    for (const s of summaryOf('merged').scenarios)
      assert.ok(page('merged', 'index.html').includes(escapeHtml(s.name)), `${s.name} in the run report`);
  });

  it('refuses a missing shard, naming a scenario no shard ran', async () => {
    const missing = summaryOf('s2').selection.keys[0]!;
    refused(
      await merge([file('s1'), file('s3')]),
      new RegExp(
        `scenario\\(s\\) of the selection are in no shard given, e.g. ${missing.replace(/[.]/g, '\\.')}.*\\(shard 2/3 not given\\)`,
      ),
    );
  });

  it('refuses a shard given twice', async () => {
    refused(await merge([file('s1'), file('s2'), file('s3'), file('s2')]), /shard 2\/3 is given twice/);
  });

  it('refuses shards of another suite, ICS or IXIT, naming the digests', async () => {
    for (const [field, words] of [
      ['suite', 'suite digests'],
      ['ics', 'ICS digests'],
      ['ixit', 'IXIT digests'],
    ] as const) {
      const copy = `s3-${field}`;
      cpSync(join(reports, 's3'), join(reports, copy), { recursive: true });
      const s = summaryOf(copy);
      s[field].digest = `sha256:${'0'.repeat(64)}`;
      writeFileSync(file(copy), JSON.stringify(s));
      refused(
        await merge([file('s1'), file('s2'), file(copy)]),
        new RegExp(`the ${words}.* differ: shard 1/3 .* has "sha256:[0-9a-f]{64}", shard 3/3 .* has "sha256:0{64}"`),
      );
    }
  });

  it('refuses a summary of a run without --shard, and a file that is no summary', async () => {
    refused(await merge([file('full'), file('s1')]), /is the summary of a run without --shard/);
    const junk = join(tempDir('dpe-junk-'), 'summary.json');
    writeFileSync(junk, '{"format": "something else"}');
    refused(await merge([junk]), /is not a dpe-conformance summary\.json/);
  });
});
