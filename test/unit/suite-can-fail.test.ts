/**
 * The suite can fail: run against a reference server that skips the group release on a device
 * change, the scenarios about that rule fail and the others pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readRun } from '../../src/report/summary';
import { loadScenarios } from '../../src/requirements/features';

function runSuite(variant: string, tags: string): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'dpe-fail-'));
  const ixit = join(dir, 'ixit.json');
  writeFileSync(
    ixit,
    JSON.stringify({
      mockHost: '127.0.0.1',
      mockPort: 0,
      serviceProviders: [
        { alias: 'maps', spId: 'sp-maps', token: 'maps-token-0001' },
        { alias: 'music', spId: 'sp-music', token: 'music-token-0002' },
      ],
      onboardThroughProvisioning: false,
      timing: { deliveryDeadlineMs: 400, quietPeriodMs: 60 },
    }),
  );
  const messages = join(dir, 'messages.ndjson');
  const r = spawnSync(
    process.execPath,
    ['node_modules/@cucumber/cucumber/bin/cucumber.js', '-p', 'per-user-and-device', '--format', `message:${messages}`, '--tags', tags],
    { env: { ...process.env, DPE_VARIANT: variant, DPE_IXIT: ixit }, encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(r.status, 1, `the run against ${variant} should fail (exit 1); it exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return new Map(readRun(readFileSync(messages, 'utf8')).scenarios.map((s) => [s.location, s.worstStatus.toLowerCase()]));
}

test('a server without the group release fails exactly the scenarios about the group release', () => {
  const results = runSuite('no-group-release', '@clause-8.2.2');
  const scenarios = loadScenarios();
  const failed = [...results].filter(([, s]) => s === 'failed').map(([loc]) => loc);
  assert.ok(failed.length > 0, 'some scenario must fail');
  const tagged = new Set(scenarios.filter((s) => s.tags.includes('@req-dc.release-groups')).map((s) => s.location));
  assert.ok(failed.some((loc) => tagged.has(loc)), `a scenario tagged @req-dc.release-groups must fail; failed: ${failed.join(', ')}`);
  const passedElsewhere = [...results].filter(([loc, s]) => s === 'passed' && !tagged.has(loc));
  assert.ok(passedElsewhere.length > 0, 'scenarios about other rules still pass');
});
