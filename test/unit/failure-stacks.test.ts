/**
 * A conformance failure is about the target: the reports show its message (the message, the
 * IE, the clause) and the feature step it happened in, never a stack into src/harness. A harness
 * error is a bug: its stack stays. Checked through cucumber's own error formatting, which writes
 * the reports' error text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// the function cucumber formats every failed step's error with (its HTML, JSON, JUnit and terminal reports)
import { formatError } from '@cucumber/cucumber/lib/runtime/format_error';
import { clipLongWords, ConformanceFailure, withoutStack } from '../../src/harness/expect';
import { Judgement } from '../../src/harness/judgement';
import { TargetError, TargetStoppedAnswering } from '../../src/harness/target';
import { referenceIcs } from '../../src/config/ics';
import { currentGherkinFrame, enterSettle, enterStep, leaveScenario } from '../../src/harness/gherkin-frame';
import type { GherkinDocument, Pickle, PickleStep } from '@cucumber/messages';

const FRAME = /^\s+at /m;
/** error-stack-parser's test for a V8 stack: one that fails it is parsed with a regular expression cubic in a line. */
const V8_STACK = /^\s*at .*(\S+:\d+|\(native\))/m;
/** The frame of a failure made outside any step. */
const SETUP_FRAME = "    at the harness's set-up (native)";
const MESSAGE =
  'phone B received no DPE_Group_Release within 1500 ms, though its registration was a device change (clause 8.2.2). What reached it:\n  #16 +1549ms DPE Server -> phone B: DPE_Policy_Release {}';

/** What cucumber writes into the reports for a step that threw `e`. */
const reported = (e: Error): string => formatError(e, true).message ?? '';

describe('error text in the reports', () => {
  it('a conformance failure shows its whole message once, and no frame of the harness', () => {
    const text = reported(new ConformanceFailure(MESSAGE));
    assert.equal(text, `ConformanceFailure: ${MESSAGE}\n${SETUP_FRAME}`);
    assert.doesNotMatch(text, /src\/harness|expect\.ts/);
  });

  it('its one frame is the feature step that was running, in the shape cucumber parses in linear time', () => {
    const doc = {
      feature: {
        children: [{ scenario: { id: 's1', location: { line: 7 }, steps: [{ id: 'st1', keyword: 'Then ', location: { line: 9 } }] } }],
      },
    } as unknown as GherkinDocument;
    const pickle = { uri: 'features/x.feature', name: 'A  scenario', astNodeIds: ['s1'] } as unknown as Pickle;
    try {
      enterStep(doc, pickle, { text: 'phone B receives a release', astNodeIds: ['st1'] } as unknown as PickleStep);
      const inStep = new ConformanceFailure(MESSAGE);
      assert.equal(reported(inStep), `ConformanceFailure: ${MESSAGE}\n    at Then phone B receives a release (features/x.feature:9)`);
      enterSettle(doc, pickle);
      assert.equal(currentGherkinFrame(), '    at the settled judgement of "A scenario" (features/x.feature:7)');
      // made in the step, reported later: the frame is the step's
      assert.match(inStep.stack ?? '', /features\/x\.feature:9\)$/);
      for (const e of [inStep, new ConformanceFailure(MESSAGE), new TargetError('POST /dpe-1: no answer')])
        assert.match(e.stack ?? '', V8_STACK);
    } finally {
      leaveScenario();
    }
    assert.equal(currentGherkinFrame(), SETUP_FRAME);
  });

  it('so does one thrown through a check, whose requirement is set after it was made', async () => {
    const j = new Judgement(referenceIcs('per-user-and-device'));
    const thrown = await j
      .check('dc.release-groups', () => {
        throw new ConformanceFailure(MESSAGE);
      })
      .catch((e: ConformanceFailure) => e);
    assert.ok(thrown instanceof ConformanceFailure);
    assert.equal(thrown.requirement, 'dc.release-groups');
    assert.equal(reported(thrown), `ConformanceFailure: ${MESSAGE}\n${SETUP_FRAME}`);
  });

  it('so do its kinds and a target that did not answer', () => {
    for (const e of [
      new TargetStoppedAnswering('POST /dpe-1: no answer within 3000 ms'),
      new TargetError('POST /dpe-1: connect ECONNREFUSED 127.0.0.1:9'),
    ]) {
      const text = reported(e);
      assert.equal(
        text
          .split('\n')
          .filter((l) => FRAME.test(l))
          .join('\n'),
        SETUP_FRAME,
        e.name,
      );
      assert.match(text, /^(ConformanceFailure|TargetError): POST \/dpe-1: /);
    }
  });

  it('a harness error keeps its stack: it is a bug to find', () => {
    const bug = (() => {
      try {
        (undefined as unknown as { x: number }).x;
      } catch (e) {
        return e as Error;
      }
      throw new Error('unreachable');
    })();
    const text = reported(bug);
    assert.match(text, /^TypeError: /);
    assert.match(text, FRAME);
    assert.match(text, /failure-stacks\.test\.ts/, 'the frame that threw');
    assert.match(reported(new Error('the scenario is inconsistent')), FRAME);
  });

  it('withoutStack follows a name and message changed later', () => {
    const e = withoutStack(new Error('first'));
    e.name = 'Renamed';
    e.message = 'second';
    assert.equal(e.stack, `Renamed: second\n${SETUP_FRAME}`);
  });
});

describe('long words in failure messages', () => {
  it('cuts a run of over 1 000 non-space characters (an echoed over-limit body) to 600 and names its length', () => {
    const body = `{"Message-ID":"bad-${'x'.repeat(1_048_576)}"}`;
    const e = new ConformanceFailure(`expected a 4xx answer, got 200 ${body}`);
    assert.ok(e.message.length < 1_000, `message of ${e.message.length} characters`);
    assert.match(e.message, /^expected a 4xx answer, got 200 \{"Message-ID":"bad-x+… \(1048597 characters in all\)$/);
    assert.equal(e.stack, `ConformanceFailure: ${e.message}\n${SETUP_FRAME}`);
  });
  it('leaves ordinary messages alone', () => {
    const text = 'phone B received no DPE_Group_Release within 1500 ms (clause 8.2.2)';
    assert.equal(clipLongWords(text), text);
  });
});
