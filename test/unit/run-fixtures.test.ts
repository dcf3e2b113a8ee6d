/**
 * The reader, the scoring and the rendering of the reports against real cucumber messages: runs
 * of the embedded suite recorded in test/unit/fixtures/runs/ (test/unit/support/run-fixtures.ts).
 * What they give must stay what the code gave when the fixtures were recorded: a retried
 * scenario's last attempt, failed steps and hooks, not-applicable scenarios, late verdicts from
 * attachments and from the late-verdicts file, a declared deviation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expectedFile, fixtureNames, loadFixture, readView, scoredView, scoreFixture } from './support/run-fixtures';

const REWRITE =
  'if the change is intended: node -r ts-node/register/transpile-only test/unit/support/run-fixtures.ts --write, and review the diff';
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('recorded runs', () => {
  const names = fixtureNames();
  it('there are some', () => assert.ok(names.length >= 2, `no recorded runs under test/unit/fixtures/runs: ${names.join(', ')}`));

  for (const name of names) {
    describe(name, () => {
      const fx = loadFixture(name);
      it('reads every scenario as it was read when the run was recorded', () => {
        assert.deepEqual(json(readView(fx)), JSON.parse(readFileSync(expectedFile(fx, 'read'), 'utf8')), REWRITE);
      });
      it('scores and renders it as it was then', () => {
        assert.deepEqual(json(scoredView(scoreFixture(fx))), JSON.parse(readFileSync(expectedFile(fx, 'scored'), 'utf8')), REWRITE);
      });
    });
  }

  it('the recordings hold what they are meant to exercise', () => {
    const late = readView(loadFixture('late-verdicts')) as { scenarios: Array<{ verdict?: { reason: string } }> };
    assert.ok(
      late.scenarios.filter((s) => s.verdict?.reason.startsWith('after the scenario ended')).length >= 3,
      'late verdicts moved back onto their scenarios',
    );
    const retried = loadFixture('retried-failure');
    assert.match(retried.messages, /"willBeRetried":true/, 'an attempt that was retried');
    const scored = scoreFixture(retried).summary;
    assert.deepEqual(
      scored.scenarios.map((s) => s.verdict),
      ['pass', 'not applicable', 'fail', 'fail'],
    );
    assert.equal(scored.deviations[0]?.status, 'confirmed', 'the declared deviation excuses the failed requirement it names');
    assert.equal(scored.verdict, 'fail');
  });
});
