/**
 * The suite can fail: run against a reference server that skips the group release on a device
 * change, the scenarios about that rule fail and the others pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_IXIT } from '../../src/config/ixit';
import { runSuiteProcess } from '../../src/harness/suite-process';
import { loadScenarios } from '../../src/requirements/features';
import type { RunRead } from '../../src/report/run-reader';

async function runSuite(variant: string, tags: string, deliveryDeadlineMs = 400): Promise<Map<string, string>> {
  return new Map((await failingRun(variant, tags, deliveryDeadlineMs)).scenarios.map((s) => [s.location, s.worstStatus.toLowerCase()]));
}

async function failingRun(variant: string, tags: string, deliveryDeadlineMs: number): Promise<RunRead> {
  const r = await runSuiteProcess({
    profile: 'per-user-and-device',
    env: { DPE_VARIANT: variant },
    ixit: { ...DEFAULT_IXIT, timing: { deliveryDeadlineMs, quietPeriodMs: 60 } },
    tags,
    timeoutMs: 120_000,
  });
  assert.equal(
    r.exitCode,
    1,
    `the run against ${variant} should fail (exit 1); it exited ${r.exitCode}${r.timedOut ? ' (killed at the deadline)' : ''}\n${r.output}`,
  );
  return r.run;
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

test("a missing release is decided at its device change's first set, not at the delivery deadline (decision 0014)", async () => {
  // the two scenarios whose device change sets something (one with nothing defined has no set to decide it);
  // a deadline of 60 s: a wait that ran to it would show in the ledger
  const run = await failingRun(
    'no-group-release',
    '@req-dc.release-groups and not @req-dc.release-policies or @req-dc.order-releases-first',
    60_000,
  );
  const failures = (name: string) => run.scenarios.find((s) => s.name === name)?.failures.map((f) => f.message) ?? [];
  const released = failures('The new device is told to release all property groups');
  assert.ok(
    released.some((m) =>
      /^phone B received no DPE_Group_Release with "\*" before DPE_Group_Set \(#\d+\), the first set of the device change,/.test(m),
    ),
    `the release check names the set that decided it:\n${released.join('\n')}`,
  );
  const ordered = failures('The releases reach the new device before anything is set');
  assert.ok(
    ordered.some((m) => /^no DPE_Group_Release "\*" reached phone B before DPE_Group_Set \(#\d+\)/.test(m)),
    `the order check fails a release that never came before the first set:\n${ordered.join('\n')}`,
  );
  // what waited for the release ended at the set: no wait of these scenarios ran to the 60 s deadline
  assert.equal(run.scenarios.length, 2);
  for (const s of run.scenarios) assert.ok((s.verdict?.waits?.missed.ms ?? 0) < 30_000, `${s.name}: a wait ran to the deadline`);
});
