/**
 * Complete CLI runs for the decisions of issue 11, item 2: a base path in --target is honoured
 * for every request, --force replaces a reused run folder, and a target that stops answering
 * after a good preflight is judged (exit 1, one line per scenario), not an environment error.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DpeServer } from '../../src/server/app';
import { buildServer } from '../../src/server/app';
import { cli, close, EXAMPLE_ICS, EXAMPLE_IXIT, listen, patientIxit, proxy, tempDir } from './cli-support';

interface SummaryJson {
  verdict: string;
  certified: boolean;
  target: string;
  scenarios: { location: string; verdict: string }[];
}
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryJson;

// One run at a time: whole-suite runs at once, beside the other test layers on two cores, starve
// each other's answer deadlines (the other files of this layer run meanwhile).
describe('complete runs: base path, --force, a target that stops answering', () => {
  // one reference server per run: each run onboards the same SP ids with its own Notify-URIs
  const servers: DpeServer[] = [];
  const reference = async () => {
    const s = buildServer({ policy: 'per-user-and-device', serviceProviders: [] });
    servers.push(s);
    return s.listen(0, '127.0.0.1');
  };
  after(() => Promise.all(servers.map((s) => s.close())));

  it('a base path in --target is used for every request (the server behind http://host/base/ passes)', async () => {
    const p = proxy(await reference(), { prefix: '/base' });
    const url = `${await listen(p.server)}/base/`;
    const reports = tempDir('dpe-reports-');
    try {
      const r = await cli([
        'run',
        '--target',
        url,
        '--ics',
        EXAMPLE_ICS,
        '--ixit',
        patientIxit(),
        '--reports-dir',
        reports,
        '--run-id',
        'base-path',
      ]);
      assert.equal(r.code, 0, `${r.stderr}\n${r.stdout.slice(-2000)}`);
      assert.match(r.stderr, /preflight: POST http:\/\/127\.0\.0\.1:\d+\/base\/dpe-1 with an empty message answered 400/);
      const s = summaryOf(join(reports, 'base-path'));
      assert.deepEqual([s.verdict, s.certified, s.target], ['pass', true, url]);
      assert.ok(p.forwarded > 100, `the requests went through the base path (${p.forwarded})`);
    } finally {
      await close(p.server);
    }
  });

  it('--force clears a reused run folder and runs', async () => {
    const reports = tempDir('dpe-reports-');
    const dir = join(reports, 'again');
    mkdirSync(join(dir, 'traces'), { recursive: true });
    writeFileSync(join(dir, 'traces', 'stale-scenario.ndjson'), '{}\n');
    writeFileSync(join(dir, 'summary.json'), '{"verdict":"fail"}');
    const r = await cli(['run', '--run-id', 'again', '--force', '--tags', '@req-reg.response-client-id', '--reports-dir', reports]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(dir, 'traces', 'stale-scenario.ndjson')), 'the stale trace is gone');
    assert.equal(summaryOf(dir).verdict, 'pass');
  });

  it('a target that stops answering after a good preflight is judged: exit 1, one line per scenario', async () => {
    // preflight (2 requests) and SP onboarding (2) pass, a few scenarios run, then every connection is
    // reset; one worker, so the first 12 requests are always these (workers would share them out)
    const p = proxy(await reference(), { answerFirst: 12 });
    const url = await listen(p.server);
    const reports = tempDir('dpe-reports-');
    try {
      const r = await cli([
        'run',
        '--target',
        url,
        '--ics',
        EXAMPLE_ICS,
        '--ixit',
        EXAMPLE_IXIT,
        '--tags',
        '@clause-8.2.2',
        '--parallel',
        '1',
        '--reports-dir',
        reports,
        '--run-id',
        'stops',
      ]);
      const context = `\n${r.stderr}\n${r.stdout.slice(-2000)}`;
      assert.equal(r.code, 1, context);
      assert.doesNotMatch(r.stderr, /environment error/, context);
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /^\s+at /m, `no stack traces${context}`);
      const s = summaryOf(join(reports, 'stops'));
      const judged = s.scenarios.filter((x) => x.verdict !== 'pass' && x.verdict !== 'not applicable');
      assert.ok(judged.length > 0, context);
      assert.deepEqual(
        judged.filter((x) => x.verdict === 'error'),
        [],
        'no scenario is an environment error',
      );
      assert.ok(
        judged.some((x) => x.verdict === 'fail'),
        context,
      );
      for (const x of judged) {
        const lines = r.stderr.split('\n').filter((l) => l.includes(` ${x.location} `));
        assert.equal(lines.length, 1, `one line for ${x.location}${context}`);
        const [line] = lines;
        assert.ok(line !== undefined);
        assert.match(line, /^dpe-conformance: (fail|inconclusive): .*stopped answering/);
      }
    } finally {
      await close(p.server);
    }
  });
});
