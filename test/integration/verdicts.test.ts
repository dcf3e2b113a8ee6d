/**
 * The verdict is right by construction (issue 8), shown on whole suite runs with the default IXIT:
 *  - a server that sends something it should not a few hundred ms after the messages a step waits
 *    for fails the scenario it belongs to (judged in the settle window or, later, as a late verdict);
 *  - a server that re-sends the user's defined sets on a registration that changed nothing passes;
 *  - a server that breaks only a derived rule passes "with warnings", and the summary names the rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_IXIT } from '../../src/config/ixit';
import { referenceIcs } from '../../src/config/ics';
import { runSuiteProcess } from '../../src/harness/suite-process';
import { buildSummary } from '../../src/report/build-summary';

const ics = referenceIcs('per-user-and-device');

function run(variant: string, tags: string, keepFiles = false) {
  return runSuiteProcess({
    profile: 'per-user-and-device',
    env: { DPE_VARIANT: variant },
    ixit: DEFAULT_IXIT,
    ics,
    tags,
    timeoutMs: 180_000,
    keepFiles,
  });
}

test('a stray release some 300 ms after a device change fails the scenario it belongs to', async () => {
  const r = await run('late-stray-group-release', '@req-dc.set-groups');
  const restored = r.run.scenarios.find((s) => s.name === 'A device never seen before gets every group and policy defined for the user');
  assert.ok(restored, r.output);
  assert.equal(restored.verdict?.verdict, 'fail', JSON.stringify(restored.verdict));
  assert.match(restored.verdict?.reason ?? '', /does not hold the group "location"/);
  assert.ok(restored.verdict?.judged?.some((j) => j.requirement === 'dc.set-groups' && j.force === 'fails'));
});

test("a server that re-sends the user's defined sets on an unchanged re-registration passes", async () => {
  const r = await run(
    'resends-sets-on-unchanged-registration',
    '@req-dc.unchanged-keeps-settings or @req-dc.unchanged-no-releases or @req-cid.report-only-on-change',
  );
  assert.ok(r.run.scenarios.length >= 3, r.output);
  for (const s of r.run.scenarios) {
    assert.ok(['pass', 'not applicable'].includes(s.verdict?.verdict ?? ''), `${s.name}: ${JSON.stringify(s.verdict)}`);
    assert.deepEqual(s.verdict?.judged ?? [], [], `${s.name} judged something`);
  }
  assert.equal(r.exitCode, 0);
});

test('a server that breaks only a derived rule passes with warnings, and the summary names the rule', async () => {
  const r = await run('releases-on-unchanged-registration', '@req-dc.unchanged-no-releases', true);
  assert.equal(r.exitCode, 0, `warnings do not fail cucumber's run: ${r.output}`);
  const s = buildSummary({
    messagesFile: join(r.dir, 'messages.ndjson'),
    target: 'built-in reference server (variant releases-on-unchanged-registration)',
    ics,
    ixit: DEFAULT_IXIT,
    command: 'test',
    tags: '@req-dc.unchanged-no-releases',
  });
  assert.equal(s.verdict, 'pass');
  assert.equal(s.withWarnings, true);
  const w = s.requirements.find((x) => x.id === 'dc.unchanged-no-releases')!;
  assert.deepEqual([w.verdict, w.force, w.source.kind], ['fail', 'warns', 'derived']);
  assert.ok(
    s.warnings.some((x) => x.includes('dc.unchanged-no-releases') && x.includes('DPE_Group_Release')),
    s.warnings.join('\n'),
  );
  rmSync(r.dir, { recursive: true, force: true });
});
