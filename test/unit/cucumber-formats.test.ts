/**
 * The shards' messages as one run's for cucumber's formatters (src/report/cucumber-formats.ts
 * asOneRun): one meta, the earliest testRunStarted, one testRunFinished at the latest end that is
 * successful only when every shard's was, and everything else kept in order.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Envelope } from '@cucumber/messages';
import { asOneRun } from '../../src/report/cucumber-formats';

const at = (seconds: number) => ({ seconds, nanos: 0 });
const shard = (start: number, end: number, success: boolean, id: string): Envelope[] =>
  [
    { meta: { protocolVersion: '1', implementation: { name: 'cucumber-js' } } },
    { testRunStarted: { timestamp: at(start) } },
    { testCaseStarted: { id, testCaseId: `tc-${id}`, attempt: 0, timestamp: at(start + 1) } },
    { testRunFinished: { timestamp: at(end), success } },
  ] as unknown as Envelope[];

describe("the shards' messages as one run", () => {
  it('opens with one meta and the earliest start, ends once at the latest end, failing when a shard failed', () => {
    const one = asOneRun([...shard(20, 30, true, 'a'), ...shard(10, 40, false, 'b'), ...shard(15, 25, true, 'c')]);
    assert.equal(one.filter((e) => e.meta).length, 1);
    assert.deepEqual(
      one.filter((e) => e.testRunStarted).map((e) => e.testRunStarted!.timestamp.seconds),
      [10],
    );
    assert.deepEqual(
      one.filter((e) => e.testRunFinished).map((e) => [e.testRunFinished!.timestamp.seconds, e.testRunFinished!.success]),
      [[40, false]],
    );
    assert.equal(one.at(-1)?.testRunFinished?.success, false);
    assert.deepEqual(
      one.filter((e) => e.testCaseStarted).map((e) => e.testCaseStarted!.id),
      ['a', 'b', 'c'],
    );
  });

  it('is successful when every shard was, and leaves one run as it is', () => {
    assert.equal(asOneRun([...shard(1, 2, true, 'a'), ...shard(1, 3, true, 'b')]).at(-1)?.testRunFinished?.success, true);
    const single = shard(1, 2, false, 'a');
    assert.deepEqual(asOneRun(single), single);
  });
});
