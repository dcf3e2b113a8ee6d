/**
 * The commands besides run: `list` (every scenario with its requirements, their force, its
 * clause and the ICS's selection), `preflight` (a run's checks alone) and `--version`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceIcs } from '../../src/config/ics';
import { EXTERNAL_DEFAULT_IXIT } from '../../src/config/ixit';
import { listScenarios } from '../../src/cli/list';
import { buildInfo, versionLine } from '../../src/cli/package-info';
import { freeLoopbackPort } from '../../src/process/loopback-port';
import { scenarioApplies } from '../../src/requirements/applicability';
import { loadScenarios, featureFiles } from '../../src/requirements/features';
import type { DpeServer } from '../../src/server/app';
import { buildServer } from '../../src/server/app';
import { cli, EXAMPLE_ICS, EXAMPLE_IXIT, ROOT, tempDir } from './cli-support';

describe('dpe-conformance list', { concurrency: true }, () => {
  it('lists every scenario of the features, with the selection of the ICS', () => {
    const ics = referenceIcs('per-device');
    const file = join(tempDir(), 'ics.json');
    writeFileSync(file, JSON.stringify(ics));
    const listed = listScenarios({ ics: file }, ROOT).scenarios;
    const features = loadScenarios(featureFiles(join(ROOT, 'features')), ROOT);
    assert.deepEqual(listed.map((s) => s.location).sort(), features.map((s) => s.location).sort(), 'every scenario, once');
    for (const s of listed) {
      const f = features.find((x) => x.location === s.location)!;
      assert.equal(s.selected, scenarioApplies(f.tags, ics).applies, `${s.location}: the run's selection`);
      assert.ok(s.requirements.length > 0 && s.clauses.length > 0, `${s.location} has requirement ids and a clause`);
      assert.ok(
        s.requirements.every((r) => ['SHALL', 'SHOULD', 'MAY', 'informative'].includes(r.level)),
        `${s.location}: each requirement's force`,
      );
      if (!s.selected) assert.match(s.reason ?? '', /applies only when|optional; checked only when/);
    }
    assert.ok(
      listed.some((s) => !s.selected),
      'per-device rules some scenarios out',
    );
  });

  it("takes the IXIT's @needs- into the selection, as a run does: a scenario the harness cannot stage is not selected, with the reason", () => {
    const ixit = join(tempDir(), 'ixit.json');
    // no limits.maxBodyBytes: the body-limit scenarios cannot be staged
    writeFileSync(ixit, JSON.stringify(EXTERNAL_DEFAULT_IXIT));
    const withIxit = listScenarios({ ixit }, ROOT);
    const staged = listScenarios({}, ROOT);
    const ruledOut = withIxit.scenarios.filter(
      (s) => !s.selected && /the harness cannot stage it under the declared IXIT: .*limits\.maxBodyBytes/.test(s.reason ?? ''),
    );
    assert.ok(ruledOut.length > 0, 'the body-limit scenarios are not selected under an IXIT without a body limit');
    for (const s of ruledOut)
      assert.equal(
        staged.scenarios.find((x) => x.location === s.location)?.selected,
        true,
        `${s.location}: selected under the default IXIT`,
      );
    assert.match(withIxit.icsLabel, /ixit\.json$/);
    assert.match(staged.icsLabel, /the built-in server's default IXIT/);
  });

  it('prints text and JSON, filters with --tags, and refuses a bad --tags or --ics with exit 2', async () => {
    const text = await cli(['list', '--tags', '@clause-8.2.2', '--ics', EXAMPLE_ICS]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^\d+ scenarios; \d+ selected by .*ics\.json and the built-in server's default IXIT, \d+ not applicable to it$/m,
    );
    assert.doesNotMatch(text.stdout, /clause 6\.1;/);
    const json = await cli(['list', '--json', '--policy', 'per-device']);
    assert.equal(json.code, 0, json.stderr);
    assert.ok((JSON.parse(json.stdout) as unknown[]).length > 50);
    const bad = await cli(['list', '--tags', '@clause-8.2.2 or']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /usage error: --tags "@clause-8.2.2 or" is not a tag expression/);
    const missing = await cli(['list', '--ics', '/nonexistent.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--ics \/nonexistent\.json: no such file/);
  });
});

describe('dpe-conformance --version', () => {
  it('prints the package version and, in a checkout, the git commit (compiled, and from the TypeScript sources)', async () => {
    for (const sources of [false, true]) {
      const r = await cli(['--version'], { sources });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), versionLine());
      assert.match(r.stdout, /^dpe-conformance \d+\.\d+\.\d+ \(commit [0-9a-f]{7,}(-dirty)?\), node \d+/);
    }
    assert.ok(buildInfo(ROOT).commit, 'a checkout knows its commit');
  });
});

describe('dpe-conformance preflight', { concurrency: true }, () => {
  let server: DpeServer;
  let url: string;
  before(async () => {
    server = buildServer({ policy: 'per-user-and-device', serviceProviders: [] });
    url = await server.listen(0, '127.0.0.1');
  });
  after(() => server.close());

  it('passes a binding server (exit 0), refuses a closed port and a missing target (exit 2)', async () => {
    const ok = await cli(['preflight', '--target', url, '--ics', EXAMPLE_ICS, '--ixit', EXAMPLE_IXIT]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /preflight: POST .*\/dpe-1 with an empty message answered 400 Error/);
    const closed = await cli(['preflight', '--target', `http://127.0.0.1:${await freeLoopbackPort()}`]);
    assert.equal(closed.code, 2);
    assert.match(closed.stderr, /environment error: .*ECONNREFUSED/);
    const none = await cli(['preflight']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /usage error: preflight needs a target\n {2}fix: give --target <URL> \(or set DPE_TARGET\)/);
  });
});
