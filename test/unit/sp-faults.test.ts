/**
 * The fault switches of the mock SPs (mocks/sp-faults.ts) and what the mock network makes of them
 * on real loopback sockets (mocks/network.ts): a refusal is a non-2xx answer, a reset a broken
 * connection, an unanswered report a request that never completes (until the scenario ends), an
 * unreachable SP a closed port while every other party stays up. Waits are bounded; no sleeps.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MessageValidator } from '../../src/catalog/validate';
import { Trace } from '../../src/harness/trace';
import { MockNetwork } from '../../mocks/network';
import type { Party, ScenarioRoute } from '../../mocks/parties';
import { describeFault, FaultSwitch } from '../../mocks/sp-faults';
import { MockSp } from '../../mocks/service-provider';
import type { Target } from '../../src/harness/target';

describe('FaultSwitch', () => {
  it('lasts its duration from when it is switched on, then accepts again', () => {
    let now = 1_000;
    const f = new FaultSwitch(() => now);
    assert.equal(f.reactToReport(), 204);
    f.set({ kind: 'refuse', forMs: 500 });
    assert.equal(f.reactToReport(), 503);
    now = 1_499;
    assert.equal(f.reactToReport(), 503);
    now = 1_500;
    assert.equal(f.reactToReport(), 204);
    assert.equal(f.active(), undefined);
  });

  it('counts reports for a fault of a number of them', () => {
    const f = new FaultSwitch(() => 0);
    f.set({ kind: 'reset', times: 2 });
    assert.deepEqual([f.reactToReport(), f.reactToReport(), f.reactToReport()], ['reset', 'reset', 204]);
    f.set({ kind: 'refuse', times: 1, status: 500 });
    assert.deepEqual([f.reactToReport(), f.reactToReport()], [500, 204]);
  });

  it("leaves reports unanswered while it hangs; an unreachable SP is the port's business, not the answer's", () => {
    const f = new FaultSwitch(() => 0);
    f.set({ kind: 'hang', forMs: 10 });
    assert.equal(f.reactToReport(), 'hang');
    f.set({ kind: 'unreachable', forMs: 10 });
    assert.equal(f.reactToReport(), 204);
    assert.equal(f.active()?.kind, 'unreachable');
    f.clear();
    assert.equal(f.active(), undefined);
  });

  it('refuses a fault without duration or count, and an unreachable SP counted in reports', () => {
    const f = new FaultSwitch();
    assert.throws(() => f.set({ kind: 'refuse' }), /needs a duration or a count/);
    assert.throws(() => f.set({ kind: 'unreachable', times: 3 }), /cannot count them/);
  });

  it('describes itself for failure messages', () => {
    assert.equal(describeFault({ kind: 'refuse', forMs: 1000 }), 'refused every report (503) for 1000 ms');
    assert.equal(describeFault({ kind: 'refuse', times: 5, status: 503 }), 'refused every report (503) 5 time(s)');
    assert.match(describeFault({ kind: 'unreachable', forMs: 1000 }), /unreachable \(its port closed\) for 1000 ms/);
  });
});

const REPORT = { 'Message-Type': 'DPE_Client_ID_Report', 'Message-ID': 7, 'User-Identity': ['tel:+15550000001'], 'Client-ID': ['c1'] };

function route(trace: Trace, heard: Array<{ party: string; status: number }>): ScenarioRoute {
  return {
    id: 'unit',
    trace,
    devices: new Map(),
    identities: () => ['tel:+15550000001'],
    onSpMessage: (sp, _e, status) => heard.push({ party: sp.name, status }),
    ended: false,
    onLate: () => undefined,
  };
}

async function post(url: string, timeoutMs = 2000): Promise<number | string> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(REPORT),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return err.name === 'TimeoutError' ? 'timeout' : (err.cause?.code ?? err.message);
  }
}

describe('MockNetwork with SP faults (loopback)', () => {
  const validator = new MessageValidator({});
  const network = new MockNetwork(validator, '127.0.0.1', 0);
  const trace = new Trace();
  const heard: Array<{ party: string; status: number }> = [];
  const maps = new MockSp('maps', 'sp-maps', 'maps-token-0001', {} as Target);
  const music: Party = { name: 'music provider' };

  before(async () => {
    await network.start(['sp-maps', 'sp-music']);
    maps.port = network.portOf('sp-maps');
    maps.trace = trace;
    network.addSp('sp-maps', maps);
    network.addSp('sp-music', music);
    network.attach(route(trace, heard));
  });
  after(() => network.stop());

  it('gives each SP a port of its own when the ports are ephemeral', () => {
    const a = new URL(network.spUri('sp-maps'));
    const b = new URL(network.spUri('sp-music'));
    assert.notEqual(a.port, b.port);
    assert.notEqual(a.port, new URL(network.baseUrl).port);
    assert.equal(a.pathname, '/sps/sp-maps');
  });

  it('answers a refusal with its status, notes it in the trace, and tells the scenario the SP did not accept', async () => {
    maps.turnAwayReports(1);
    assert.equal(await post(network.spUri('sp-maps')), 503);
    assert.equal(await post(network.spUri('sp-maps')), 204);
    const [refused, accepted] = trace.entries.slice(-2);
    assert.equal(refused!.note, 'the SP answered 503');
    assert.equal(accepted!.note, undefined);
    assert.deepEqual(heard.slice(-2), [
      { party: 'maps provider', status: 503 },
      { party: 'maps provider', status: 204 },
    ]);
  });

  it('resets the connection instead of answering', async () => {
    await maps.faultFor('reset', 60_000);
    const got = await post(network.spUri('sp-maps'));
    maps.acceptEverything();
    assert.ok(typeof got === 'string' && got !== 'timeout', `expected a network error, got ${got}`);
    assert.match(trace.entries.at(-1)!.note ?? '', /reset the connection/);
  });

  it('leaves a report unanswered until the faults end, and the scenario never hears it accepted', async () => {
    await maps.faultFor('hang', 60_000);
    const before = heard.length;
    const pending = post(network.spUri('sp-maps'), 5_000);
    await trace.waitUntil(() => trace.entries.at(-1)?.note === 'the SP left it unanswered (fault switch)', 2_000);
    maps.acceptEverything();
    await network.endFaults();
    const got = await pending;
    assert.ok(typeof got === 'string' && got !== 'timeout', `expected the connection cut at the end of the faults, got ${got}`);
    assert.equal(heard.length, before);
  });

  it("closes an unreachable SP's port for the time asked, while other parties stay reachable", async () => {
    await maps.faultFor('unreachable', 300);
    assert.equal(await post(network.spUri('sp-maps')), 'ECONNREFUSED');
    assert.equal(await post(network.spUri('sp-music')), 204);
    await maps.port!.whenOpen();
    assert.equal(await post(network.spUri('sp-maps')), 204);
  });

  it('opens a closed port again when the faults end early', async () => {
    await maps.faultFor('unreachable', 60_000);
    assert.equal(await post(network.spUri('sp-maps')), 'ECONNREFUSED');
    await network.endFaults();
    await maps.port!.whenOpen();
    assert.equal(await post(network.spUri('sp-maps')), 204);
  });
});

describe('MockNetwork on a fixed port', () => {
  it('shares the one port among all SPs, so one cannot be made unreachable alone', async () => {
    const probe = new MockNetwork(new MessageValidator({}), '127.0.0.1', 0);
    await probe.start();
    const port = Number(new URL(probe.baseUrl).port);
    await probe.stop();
    const fixed = new MockNetwork(new MessageValidator({}), '127.0.0.1', port);
    await fixed.start(['sp-maps']);
    try {
      assert.equal(fixed.spUri('sp-maps'), `http://127.0.0.1:${port}/sps/sp-maps`);
      assert.equal(fixed.portOf('sp-maps'), undefined);
      const sp = new MockSp('maps', 'sp-maps', 'maps-token-0001', {} as Target);
      await assert.rejects(sp.faultFor('unreachable', 100), /shares the mock network's port/);
    } finally {
      await fixed.stop();
    }
  });
});
