/**
 * The suite can fail: run against a reference server that skips the group release on a device
 * change, the scenarios about that rule fail and the others pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_IXIT } from '../../src/config/ixit';
import { runSuiteProcess } from '../../src/harness/suite-process';
import { loadScenarios } from '../../src/requirements/features';

async function runSuite(variant: string, tags: string): Promise<Map<string, string>> {
  const r = await runSuiteProcess({
    profile: 'per-user-and-device',
    env: { DPE_VARIANT: variant },
    ixit: { ...DEFAULT_IXIT, timing: { deliveryDeadlineMs: 400, quietPeriodMs: 60 } },
    tags,
    timeoutMs: 120_000,
  });
  assert.equal(
    r.exitCode,
    1,
    `the run against ${variant} should fail (exit 1); it exited ${r.exitCode}${r.timedOut ? ' (killed at the deadline)' : ''}\n${r.output}`,
  );
  return new Map(r.run.scenarios.map((s) => [s.location, s.worstStatus.toLowerCase()]));
}

test('a server without the group release fails exactly the scenarios about the group release', async () => {
  const results = await runSuite('no-group-release', '@clause-8.2.2');
  const scenarios = loadScenarios();
  const failed = [...results].filter(([, s]) => s === 'failed').map(([loc]) => loc);
  assert.ok(failed.length > 0, 'some scenario must fail');
  const tagged = new Set(scenarios.filter((s) => s.tags.includes('@req-dc.release-groups')).map((s) => s.location));
  assert.ok(
    failed.some((loc) => tagged.has(loc)),
    `a scenario tagged @req-dc.release-groups must fail; failed: ${failed.join(', ')}`,
  );
  const passedElsewhere = [...results].filter(([loc, s]) => s === 'passed' && !tagged.has(loc));
  assert.ok(passedElsewhere.length > 0, 'scenarios about other rules still pass');
});
