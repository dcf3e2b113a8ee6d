/**
 * The bench's reading of the wait ledgers (scripts/bench/waits.ts): the verdict attachments of a
 * cucumber messages NDJSON added up, whatever their encoding, a torn or foreign line skipped; the
 * row that takes the mandated waits off the suite (information only, never a goal); row b's figure.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { noWaits } from '../../src/harness/wait-ledger';
import { VERDICT_MEDIA_TYPE } from '../../src/report/verdict';
import { ledgerInMessages, lessWaitsRow, missedFigure } from '../../scripts/bench/waits';

const attachment = (record: unknown, base64 = false) =>
  JSON.stringify({
    attachment: {
      testCaseStartedId: 'st',
      testStepId: 'ts',
      mediaType: VERDICT_MEDIA_TYPE,
      body: base64 ? Buffer.from(JSON.stringify(record)).toString('base64') : JSON.stringify(record),
      contentEncoding: base64 ? 'BASE64' : 'IDENTITY',
    },
  });

const ONE = { ...noWaits(), settle: { count: 1, ms: 120 }, quiet: { count: 1, ms: 118 }, stated: { count: 1, ms: 990 } };
const TWO = { ...noWaits(), settle: { count: 1, ms: 121 }, missed: { count: 2, ms: 3000 }, arrived: { count: 1, ms: 600 } };

describe('the wait ledgers of a bench run', () => {
  it('adds up every verdict record with a ledger, in either encoding; skips old records, torn lines and other messages', () => {
    const ndjson = [
      JSON.stringify({ testRunStarted: { timestamp: { seconds: 1, nanos: 0 } } }),
      attachment({ verdict: 'pass', reason: 'every check held', requirements: [], waits: ONE }),
      attachment({ verdict: 'fail', reason: 'x', requirements: [], waits: TWO }, true),
      attachment({ verdict: 'pass', reason: 'an older harness', requirements: [] }),
      JSON.stringify({ attachment: { mediaType: 'text/plain', body: VERDICT_MEDIA_TYPE, contentEncoding: 'IDENTITY' } }),
      attachment({ verdict: 'pass', waits: ONE }).slice(0, 80), // a run stopped at its cap
    ].join('\n');
    const l = ledgerInMessages(ndjson)!;
    assert.equal(l.scenarios, 2);
    assert.deepEqual(l.byKind.settle, { count: 2, ms: 241 });
    assert.deepEqual(l.byKind.missed, { count: 2, ms: 3000 });
    assert.deepEqual(l.byKind.stated, { count: 1, ms: 990 });
    assert.equal(ledgerInMessages(attachment({ verdict: 'pass' })), undefined);
  });

  it('row a.suite-less-waits/dry-run takes only the mandated waits off, and judges nothing', () => {
    const ledger = { scenarios: 2, byKind: { ...ONE, missed: TWO.missed, arrived: TWO.arrived } };
    const r = lessWaitsRow(5228, 1000, ledger, '');
    assert.equal(r.id, 'a.suite-less-waits/dry-run');
    assert.equal(r.ratio, (5228 - 120 - 118 - 990) / 1000);
    assert.equal(r.status, 'info');
    assert.equal(r.goal, undefined, "the issue's goal stays on a.suite/dry-run");
    assert.match(
      r.figures,
      /suite 5\.23 s − 1\.23 s mandated \(settle windows 0\.12 s in 1, quiet periods 0\.12 s in 1, stated durations 0\.99 s in 1\) = 4\.00 s/,
    );
    assert.match(r.figures, /never came 3\.00 s in 2/);
    const none = lessWaitsRow(5000, 1000, undefined, '');
    assert.equal(none.status, 'not available');
    assert.match(none.note ?? '', /no wait ledger/);
  });

  it("row b names the faulty run's waits for messages that never came", () => {
    const ledger = { scenarios: 1, byKind: TWO };
    assert.equal(missedFigure(ledger, false), '; waiting for messages that never came 3.00 s in 2 waits');
    assert.match(missedFigure(ledger, true), /\(until the cap\)$/);
    assert.match(missedFigure(undefined, false), /no wait ledger/);
  });
});
