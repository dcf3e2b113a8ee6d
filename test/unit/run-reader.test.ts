/**
 * The run reader (src/report/run-reader.ts) on what a real run's messages can turn into: a torn
 * file, lines that are JSON but no message, a message the index cannot take, the shards of a
 * run concatenated (merge), a test case whose pickle is missing. A recorded run
 * (test/unit/fixtures/runs/) is the base; nothing it holds may be lost.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detailsOf } from '../../src/report/run-details';
import { readRun } from '../../src/report/run-reader';
import { loadFixture } from './support/run-fixtures';

const RUN = loadFixture('retried-failure').messages;
const lines = RUN.split('\n').filter((l) => l.trim());
const whole = readRun(RUN);

describe('readRun', () => {
  it('reads a recorded run without a problem', () => {
    assert.deepEqual(whole.runProblems, []);
    assert.equal(whole.scenarios.length, 4);
    assert.ok(whole.scenarios.every((s) => s.known));
  });

  it('reports a torn line, a line that is no message and one the index cannot take, and reads everything else', () => {
    const testCase = lines.findIndex((l) => l.startsWith('{"testCase"'));
    const bad = [
      ...lines.slice(0, testCase),
      lines[testCase]!.slice(0, 40),
      '42',
      '{"gherkinDocument":{"uri":"features/x.feature","feature":{"name":"no children"}}}',
      ...lines.slice(testCase),
    ].join('\n');
    const r = readRun(bad);
    assert.equal(r.runProblems.length, 3, r.runProblems.join('\n'));
    assert.match(r.runProblems[0]!, /^the messages file has an unreadable line: \{"testCase"/);
    assert.match(r.runProblems[1]!, /^the messages file has an unreadable line: 42/);
    assert.match(r.runProblems[2]!, /^the messages file has a message cucumber's query cannot index \(.+\): \{"gherkinDocument"/);
    // the torn line was a test case that is not there again: every other scenario is
    assert.deepEqual(
      r.scenarios.map((s) => s.location),
      whole.scenarios.map((s) => s.location),
    );
  });

  it('keeps the exception of every shard of a merged file, and the last result', () => {
    const finished = lines.find((l) => l.startsWith('{"testRunFinished"'))!;
    const failed = JSON.stringify({
      testRunFinished: {
        ...JSON.parse(finished).testRunFinished,
        success: !whole.success,
        exception: { type: 'Error', message: 'shard 1 broke' },
      },
    });
    const r = readRun([...lines.filter((l) => l !== finished), failed, finished].join('\n'));
    assert.deepEqual(r.runProblems, ['the run ended with an exception: shard 1 broke']);
    assert.equal(r.success, whole.success, 'the last testRunFinished decides');
  });

  it('keeps a test case whose pickle is missing under a made-up location, without details', () => {
    const first = whole.scenarios[0]!;
    const r = readRun(lines.filter((l) => !(l.startsWith('{"pickle"') && l.includes(first.pickleId))).join('\n'));
    const lost = r.scenarios.find((s) => !s.known);
    assert.ok(lost, 'the test case is still read');
    assert.match(lost.location, /^\(unknown test case .+\)$/);
    assert.equal(lost.name, '?');
    assert.equal(detailsOf(r).has(lost.location), false);
    assert.equal(r.scenarios.length, 4);
  });

  it('reads the failed step of the last attempt, its error type and the attachments of its steps', () => {
    const failed = whole.scenarios.filter((s) => s.worstStatus === 'FAILED');
    assert.equal(failed.length, 2);
    for (const s of failed) {
      assert.equal(s.failedStep?.keyword, 'Then');
      assert.equal(s.failedStep?.type, 'ConformanceFailure');
      assert.equal(s.failures.length, 1, 'the retried attempt is not read');
      assert.match(s.chart ?? '', /^<svg/);
      assert.match(s.messageLog ?? '', /#\d+ \+\d+ms /);
      assert.equal(s.attached?.verdict, 'fail');
    }
  });
});
