/**
 * The wait ledger (src/harness/wait-ledger.ts): how a wait is charged (on a clock the test
 * moves), that the trace's waits enter themselves by how they ended — and enter nothing when no
 * wait was needed — that the target's answers are entered, and that a ledger read back from a
 * report is checked and added up.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageValidator } from '../../src/catalog/validate';
import { Target } from '../../src/harness/target';
import { Trace } from '../../src/harness/trace';
import { mandatedMs, noWaits, sumWaits, WaitLedger, waitsOf } from '../../src/harness/wait-ledger';

/** A ledger on a clock the test sets. */
function ledgerAt(): { ledger: WaitLedger; at: (ms: number) => void } {
  let now = 0;
  return { ledger: new WaitLedger(() => now), at: (ms) => (now = ms) };
}

const note = (t: Trace) =>
  setTimeout(() => t.add({ from: 'DPE Server', to: 'phone A', kind: 'notify', messageType: 'X', body: {}, problems: [] }), 5);
// a timer may fire a millisecond early: only a lower bound, with that slack
const atLeast = (ms: number, bound: number) => assert.ok(ms >= bound - 2, `${ms} ms, expected at least ${bound} ms`);

describe('WaitLedger', () => {
  it('charges each wait to its kind, counting it once', () => {
    const { ledger, at } = ledgerAt();
    at(100);
    const a = ledger.start();
    at(350);
    ledger.end('missed', a);
    const b = ledger.start();
    at(400);
    ledger.end('arrived', b);
    ledger.end('settle', ledger.start()); // a wait that took no time still counts
    const r = ledger.record();
    assert.deepEqual(r.missed, { count: 1, ms: 250 });
    assert.deepEqual(r.arrived, { count: 1, ms: 50 });
    assert.deepEqual(r.settle, { count: 1, ms: 0 });
    assert.deepEqual([r.quiet, r.stated, r.answer], [noWaits().quiet, noWaits().stated, noWaits().answer]);
  });

  it('charges the part of a trace wait within a stated duration to the duration, never an answer', () => {
    const { ledger, at } = ledgerAt();
    at(1000);
    ledger.stated(1000); // an SP away from 1000 to 2000
    at(1100);
    const answer = ledger.start();
    at(1150);
    ledger.end('answer', answer);
    const wait = ledger.start();
    at(2600); // the report came 600 ms after the SP was back
    ledger.end('arrived', wait);
    const r = ledger.record();
    assert.deepEqual(r.answer, { count: 1, ms: 50 });
    assert.deepEqual(r.stated, { count: 1, ms: 850 });
    assert.deepEqual(r.arrived, { count: 1, ms: 600 });
    // after the duration, nothing more is charged to it
    const next = ledger.start();
    at(2700);
    ledger.end('settle', next);
    assert.deepEqual(ledger.record().settle, { count: 1, ms: 100 });
    assert.equal(ledger.record().stated.ms, 850);
  });

  it('lengthens a stated duration that a second one overlaps, and starts a new one after it', () => {
    const { ledger, at } = ledgerAt();
    ledger.stated(1000);
    at(500);
    ledger.stated(1000); // now away until 1500
    const w = ledger.start();
    at(3000);
    ledger.end('missed', w);
    assert.deepEqual(ledger.record().stated, { count: 2, ms: 1000 });
    assert.deepEqual(ledger.record().missed, { count: 1, ms: 1500 });
  });
});

describe('the trace enters its waits', () => {
  it('a wait that found its message at once is no wait; one that waited is an arrival, one that gave up a miss', async () => {
    const t = new Trace();
    t.add({ from: 'DPE Server', to: 'phone A', kind: 'notify', messageType: 'X', body: {}, problems: [] });
    assert.ok(await t.waitFor((e) => e.messageType === 'X', 1, 50));
    assert.equal(t.waits.record().arrived.count, 0);
    note(t);
    assert.ok(await t.waitFor((e) => e.messageType === 'X', 2, 2000));
    assert.equal(t.waits.record().arrived.count, 1);
    assert.equal(await t.waitFor((e) => e.messageType === 'Y', 1, 30), undefined);
    const r = t.waits.record();
    assert.equal(r.missed.count, 1);
    atLeast(r.missed.ms, 30);
  });

  it('waitUntil and waitForCount: arrived or missed; waitUntil on what must not happen asserts absence', async () => {
    const t = new Trace();
    assert.equal(await t.waitUntil(() => true, 50), true);
    assert.equal(t.waits.record().arrived.count, 0, 'decided at once: no wait');
    note(t);
    assert.equal(await t.waitUntil(() => t.entries.length > 0, 2000), true);
    assert.equal(await t.waitUntil(() => false, 20), false);
    assert.equal(await t.waitUntil(() => false, 20, 'absence'), false);
    note(t);
    assert.equal((await t.waitForCount(() => true, 1, 2, 2000)).length, 2);
    assert.equal((await t.waitForCount(() => true, 1, 5, 20)).length, 2);
    const r = t.waits.record();
    assert.deepEqual([r.arrived.count, r.missed.count, r.quiet.count], [2, 2, 1]);
    atLeast(r.quiet.ms, 20);
  });

  it('a quiet period and a settle window are entered as such, once each however many entries restart them', async () => {
    const t = new Trace();
    await t.quietUntil(t.now(), 25);
    note(t); // restarts the window once
    await t.quietFor(25, 1000, t.now());
    await t.quietFor(20, 1000, t.now(), 'quiet');
    await t.quietUntil(0, 1); // over already
    const r = t.waits.record();
    assert.deepEqual([r.quiet.count, r.settle.count], [2, 1]);
    atLeast(r.settle.ms, 30);
    atLeast(r.quiet.ms, 45);
    // the round a caller enters itself is not entered
    await t.anyEntryWithin(5);
    assert.deepEqual(t.waits.record(), r);
  });

  it('every request through the binding enters its answer wait, an unanswered one too', async () => {
    const server = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const t = new Trace();
      const target = new Target(`http://127.0.0.1:${port}`, new MessageValidator(), 2000);
      assert.equal((await target.post('/dpe-1', { 'Message-Type': 'X' }, t, { from: 'phone A' })).status, 204);
      server.close();
      await assert.rejects(target.post('/dpe-1', { 'Message-Type': 'X' }, t, { from: 'phone A' }));
      assert.equal(t.waits.record().answer.count, 2);
    } finally {
      server.close();
    }
  });
});

describe('a ledger read back', () => {
  it('is checked: none in an old record, a missing kind is none, a malformed one is refused', () => {
    assert.equal(waitsOf(undefined), undefined);
    assert.equal(waitsOf({}), undefined);
    assert.equal(waitsOf({ settle: { count: -1, ms: 3 } }), undefined);
    assert.equal(waitsOf({ settle: { count: 1, ms: 'x' } }), undefined);
    assert.equal(waitsOf([1, 2]), undefined);
    const w = waitsOf({ settle: { count: 2, ms: 240 }, quiet: { count: 1, ms: 120 } })!;
    assert.deepEqual(w.settle, { count: 2, ms: 240 });
    assert.deepEqual(w.missed, { count: 0, ms: 0 });
  });

  it('adds up kind by kind, and the mandated waits are settle, quiet and stated', () => {
    const a = { ...noWaits(), settle: { count: 1, ms: 120 }, missed: { count: 2, ms: 3000 }, stated: { count: 1, ms: 990 } };
    const b = { ...noWaits(), settle: { count: 1, ms: 125 }, quiet: { count: 1, ms: 118 }, answer: { count: 3, ms: 20 } };
    const sum = sumWaits([a, b]);
    assert.deepEqual(sum.settle, { count: 2, ms: 245 });
    assert.deepEqual(sum.missed, { count: 2, ms: 3000 });
    assert.deepEqual(sum.answer, { count: 3, ms: 20 });
    assert.equal(mandatedMs(sum), 245 + 118 + 990);
    assert.deepEqual(sumWaits([]), noWaits());
  });
});
