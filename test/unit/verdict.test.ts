/**
 * The verdict of one executed scenario (src/report/verdict.ts), decided from its first failure,
 * the malformed messages the target sent and its trace: fail, inconclusive (a set-up that did
 * not come about, an optional feature that is not there), error, pass.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StepFailure } from '../../src/report/verdict';
import { decideVerdict } from '../../src/report/verdict';
import { ConformanceFailure, SetupFailure } from '../../src/harness/expect';
import { TargetError } from '../../src/harness/target';
import type { TraceEntry } from '../../src/harness/trace';

describe('decideVerdict', () => {
  const e = (seq: number, extra: Partial<TraceEntry> = {}): TraceEntry => ({
    seq,
    at: seq,
    from: 'DPE Server',
    to: 'phone A',
    kind: 'notify',
    messageType: 'DPE_Group_Release',
    body: {},
    problems: [],
    ...extra,
  });
  const second = e(2);
  const third = e(3);
  const trace = [e(1, { kind: 'request', from: 'phone A', to: 'DPE Server', messageType: 'DPE_Registration_Request' }), second, third];
  const fail = (stepType: StepFailure['stepType'], error: unknown): StepFailure => ({
    stepType,
    stepText: 'phone A receives the releases',
    error,
  });
  const base = { status: 'FAILED', malformed: [] as TraceEntry[], trace, requirements: ['dc.release-groups'] };

  it('fails a check of the target in a When/Then step, highlighting its messages', () => {
    const v = decideVerdict({ ...base, failure: fail('Outcome', new ConformanceFailure('DPE_Group_Release (#3) late', [third])) });
    assert.deepEqual([v.verdict, v.highlight], ['fail', [3]]);
    assert.match(v.reason, /Then phone A receives the releases.*#3/);
  });

  it('is inconclusive when the set-up (a Given step) did not come about', () => {
    const v = decideVerdict({ ...base, failure: fail('Context', new ConformanceFailure('registration refused', [second])) });
    assert.equal(v.verdict, 'inconclusive');
  });

  it('is inconclusive on a SetupFailure in any step, and only then: the words of a message decide nothing', () => {
    const setup = new SetupFailure('the registration of phone A was answered 500 {}', [second]);
    assert.equal(setup.name, 'SetupFailure');
    assert.equal(
      setup.stack?.split('\n')[0],
      'SetupFailure: the registration of phone A was answered 500 {}',
      'cucumber records the type and prints no harness stack (test/unit/failure-stacks.test.ts: only a Gherkin frame)',
    );
    assert.doesNotMatch(setup.stack ?? '', /src\/harness|\.ts:\d+/);
    const v = decideVerdict({ ...base, failure: fail('Action', setup) });
    assert.deepEqual([v.verdict, v.highlight], ['inconclusive', [2]]);
    assert.match(v.reason, /^set-up could not be established \(step "When phone A receives the releases"\): the registration of phone A/);
    // the class decides, across copies of the module too (cucumber workers load their own)
    const copy = Object.assign(new Error('the registration of phone A was answered 500 {}'), { name: 'SetupFailure', entries: [] });
    assert.equal(decideVerdict({ ...base, failure: fail('Outcome', copy) }).verdict, 'inconclusive');
    assert.equal(
      decideVerdict({ ...base, failure: fail('Outcome', new ConformanceFailure('setup: looks like one')) }).verdict,
      'fail',
      'no prefix makes a set-up failure',
    );
  });

  it('is inconclusive when an optional feature answers as if it were not there', () => {
    const absent = [...trace, e(4, { kind: 'answer', to: 'harness', messageType: 'HTTP 501', status: 501 })];
    const v = decideVerdict({
      ...base,
      trace: absent,
      requirements: ['reg.server-driven'],
      failure: fail('Outcome', new ConformanceFailure('no trigger')),
    });
    assert.deepEqual([v.verdict, v.highlight], ['inconclusive', [4]]);
    // the same answer under a mandatory requirement is a failure
    assert.equal(decideVerdict({ ...base, trace: absent, failure: fail('Outcome', new ConformanceFailure('no trigger')) }).verdict, 'fail');
  });

  it('is an error when the target does not answer or the harness throws', () => {
    const noAnswer = [...trace, e(4, { kind: 'answer', messageType: 'no answer', to: 'phone A', note: 'connection refused' })];
    const v = decideVerdict({ ...base, trace: noAnswer, failure: fail('Action', new TargetError('connection refused')) });
    assert.deepEqual([v.verdict, v.highlight], ['error', [4]]);
    assert.equal(decideVerdict({ ...base, failure: fail('Action', new TypeError('x is undefined')) }).verdict, 'error');
    assert.equal(decideVerdict({ ...base, status: 'UNDEFINED' }).verdict, 'error');
  });

  it('fails on a malformed message from the target even when every step passed', () => {
    const bad = e(2, { problems: [{ code: 'MALFORMED', message: 'DPE_Group_Release', clause: '8.2.2', detail: 'no Group_ID' }] });
    const v = decideVerdict({ ...base, status: 'PASSED', malformed: [bad] });
    assert.deepEqual([v.verdict, v.highlight], ['fail', [2]]);
    assert.equal(decideVerdict({ ...base, status: 'PASSED' }).verdict, 'pass');
  });
});
