/**
 * The harness's headroom in a load run (src/load/headroom.ts): a blocked event loop is measured
 * and counted as saturation past a quarter of the delivery deadline. No timing is asserted from
 * above on a shared machine: a block of 300 ms can only look longer under load, and the idle case
 * gets a threshold no scheduler delay reaches.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Headroom, LAGGING_SHARE_OF_DEADLINE } from '../../src/load/headroom';

const block = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};
const turn = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the harness headroom of a load run', () => {
  it('an event loop blocked past the deadline is saturated, and lagging in the second it happened', async () => {
    const h = new Headroom(200); // lagging past 50 ms, saturated past 200 ms
    assert.equal(50, 200 * LAGGING_SHARE_OF_DEADLINE);
    await turn(30);
    block(400);
    await turn(30); // the delayed sample is taken once the loop turns again
    const s = h.stop();
    assert.deepEqual([s.laggingAtMs, s.saturatedAtMs], [50, 200]);
    assert.ok(s.delayMs.max >= 300, `max delay ${s.delayMs.max} ms`);
    assert.equal(s.saturated, true);
    assert.ok(s.laggingSeconds >= 1);
    // the share itself depends on what else the machine runs: only that it was measured
    assert.ok(s.cpuShare > 0, `CPU share ${s.cpuShare} while blocking`);
    assert.equal(h.stop(), s, 'stopping again gives the same summary');
  });

  it('a block short of the deadline is not saturated', async () => {
    const h = new Headroom(20_000); // a 300 ms block stays below a 20 s deadline under any load
    await turn(30);
    block(300);
    await turn(30);
    const s = h.stop();
    assert.equal(s.saturated, false);
    assert.ok(s.delayMs.max >= 200 && s.delayMs.max < 20_000, `max delay ${s.delayMs.max} ms`);
  });

  it('a harness that keeps up is not saturated, and its delay is what exceeds the sampling interval', async () => {
    const h = new Headroom(60_000); // saturated at 15 s: no scheduler delay on a test machine reaches it
    for (let i = 0; i < 5; i++) {
      h.tick();
      await turn(20);
    }
    const s = h.stop();
    assert.equal(s.saturated, false);
    assert.equal(s.laggingSeconds, 0);
    assert.ok(s.delayMs.p50 >= 0 && s.delayMs.p50 <= s.delayMs.p99 && s.delayMs.p99 <= s.delayMs.max);
  });
});
