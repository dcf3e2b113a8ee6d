/**
 * Delivery under faults (docs/security.md, "Delivery"): an SP down for 5 s loses no report; a
 * hanging SP delays no other destination; per-destination order holds across retries; every
 * give-up is a pino log line, a counter and a dead letter in GET /health; a full queue and an
 * abandoned device-change release are given up visibly. SIGTERM draining the standalone server
 * (a separate process) is test/integration/server-process.test.ts.
 * Loopback only; short backoff and horizons keep every test bounded; waits are event-driven.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { DeliveryOptions } from '../../src/server/outbox';
import { Sink, captureLog, fresh, groupSet, imei, msisdn, post, query, registration, startDpe, until } from './support/probe';
import { SP, causeReport, closedAfterTests, reportsTo } from './support/reports';

const SP2 = { spId: 'sp-g', token: 'sp-g-token-0002' };
const FAST: Partial<DeliveryOptions> = { retryBackoffMs: 20, maxBackoffMs: 200, attemptTimeoutMs: 1_000, horizonMs: 15_000 };

const toClose = closedAfterTests();

async function world(
  o: { delivery?: Partial<DeliveryOptions>; sink?: Sink; sps?: Array<{ spId: string; token: string; path: string }> } = {},
) {
  const sink = o.sink ?? (await new Sink().start());
  if (!o.sink) toClose.push(sink);
  const log = captureLog();
  const sps = o.sps ?? [{ ...SP, path: '/sp/f' }];
  const { dpe, url } = await startDpe({
    policy: 'per-user-and-device',
    serviceProviders: sps.map((s) => ({ spId: s.spId, token: s.token, notifyUri: `${sink.url}${s.path}` })),
    delivery: { ...FAST, ...o.delivery },
    logger: log.logger,
    adminToken: 'admin-token-for-health-01',
  });
  toClose.push(dpe);
  return { sink, dpe, url, log };
}

describe('delivery under SP faults', { timeout: 60_000 }, () => {
  it('an SP down for 5 s loses no report: every report arrives once it is back, in order', async () => {
    const sp = await new Sink().start();
    const port = sp.port;
    await sp.stop(); // nothing listens: connection refused
    const devices = await new Sink().start();
    toClose.push(devices);
    const attempts: Array<{ at: number; outcome: string }> = [];
    const attemptEvents = new EventEmitter();
    const { dpe, url } = await startDpe({
      policy: 'per-user-and-device',
      serviceProviders: [{ ...SP, notifyUri: `http://127.0.0.1:${port}/sp/f` }],
      delivery: FAST,
      onDelivery: (e) => {
        if (!e.delivery.url.includes('/sp/f')) return;
        const a = { at: Date.now(), outcome: e.outcome };
        attempts.push(a);
        attemptEvents.emit('attempt', a);
      },
    });
    toClose.push(dpe);
    const users = [await causeReport(url, devices.url), await causeReport(url, devices.url), await causeReport(url, devices.url)];
    // down for 5 s, measured on the server's own failed attempts (each attempt is an event; backoff is capped at 200 ms)
    await until<{ at: number }>(
      attemptEvents,
      'attempt',
      (a) => a.at - (attempts[0] ?? a).at >= 5_000,
      8_000,
      'five seconds of failed attempts',
    );
    assert.ok(attempts.every((a) => a.outcome !== 'delivered'));
    assert.ok(attempts.length >= 5, `retried while down (${attempts.length} attempts)`);
    await sp.start(port);
    toClose.push(sp);
    for (const u of users) await sp.waitFor((r) => (r.body['User-Identity'] as string[] | null)?.[0] === u, 3_000, `report for ${u}`);
    const ids = reportsTo(sp, '/sp/f').map((r) => r.body['Message-ID'] as number);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      'per-destination order kept across the outage',
    );
    assert.equal(new Set(ids).size, 3);
    await dpe.settle();
    assert.equal(dpe.health().delivery.counters.gaveUp, 0, 'nothing given up');
  });

  it('a hanging SP delays no other destination (another SP on the same host, the devices)', async () => {
    const { sink, dpe, url } = await world({
      delivery: { attemptTimeoutMs: 10_000 },
      sps: [
        { ...SP, path: '/sp/hang' },
        { ...SP2, path: '/sp/ok' },
      ],
    });
    sink.behaviour.set('/sp/hang', () => 'hang');
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const u = msisdn();
      await post(url, '/dpe-2', query(u), { token: SP.token });
      await post(url, '/dpe-2', query(u), { token: SP2.token });
      await post(url, '/dpe-1', registration(u, imei(), `${sink.url}/dev/${fresh()}`));
    }
    await until(sink, 'message', () => reportsTo(sink, '/sp/ok').length === 5, 2_000, 'five reports at the healthy SP');
    assert.ok(Date.now() - started < 2_000, `healthy SP served in ${Date.now() - started} ms while the other hangs`);
    const h = dpe.health().delivery;
    const hung = 'queues' in h ? h.queues.find((q) => q.destination.endsWith('/sp/hang')) : undefined;
    assert.ok(hung?.inFlight && hung.depth === 5, `the hanging SP's queue holds its 5 reports: ${JSON.stringify(hung)}`);
  });

  it('an SP that refuses the first attempts gets every report in order, each Message-ID once per report', async () => {
    const { sink, url, dpe } = await world();
    let refused = 0;
    sink.behaviour.set('/sp/f', () => (refused++ < 4 ? 503 : 204));
    for (let i = 0; i < 4; i++) await causeReport(url, sink.url);
    await dpe.settle();
    const ids = reportsTo(sink, '/sp/f').map((r) => r.body['Message-ID'] as number);
    assert.equal(ids.length, 4);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
  });

  it('a give-up is a structured log line, a counter and a dead letter in GET /health', async () => {
    const log = captureLog();
    // the SP's Notify-URI refuses connections: nothing listens on its port
    const closed = await new Sink().start();
    const deadPort = closed.port;
    await closed.stop();
    const { dpe: dpe2, url: url2 } = await startDpe({
      policy: 'per-user-and-device',
      serviceProviders: [{ ...SP, notifyUri: `http://127.0.0.1:${deadPort}/sp/f` }],
      delivery: { ...FAST, horizonMs: 300 },
      logger: log.logger,
      adminToken: 'admin-token-for-health-02',
    });
    toClose.push(dpe2);
    await causeReport(url2, 'http://127.0.0.1:1');
    const line = await until<Record<string, unknown>>(
      log.events,
      'line',
      (l) => l.event === 'delivery-given-up' && l.messageType === 'DPE_Client_ID_Report',
      3_000,
      'a give-up log line',
    );
    assert.equal(line.reason, 'horizon');
    assert.equal(line.level, 40, 'logged as a warning');
    assert.match(String(line.destination), new RegExp(`:${deadPort}/sp/f$`));
    assert.ok((line.attempts as number) >= 2, 'retried before giving up');
    assert.equal(typeof line.messageId, 'number');
    assert.match(String(line.lastOutcome), /network error/);
    // the device's own messages (to a port nothing listens on) are given up about then too: read both views once all have been
    await dpe2.settle();
    const full = await fetch(`${url2}/health`, { headers: { authorization: 'Bearer admin-token-for-health-02' } }).then(
      (r) => r.json() as Promise<Record<string, any>>,
    );
    assert.equal(full.status, 'ok');
    assert.ok(full.delivery.counters.gaveUp >= 1 && full.delivery.counters.byReason.horizon >= 1, JSON.stringify(full.delivery.counters));
    assert.ok(full.delivery.deadLetters.count >= 1);
    assert.ok(
      full.delivery.deadLetters.recent.some(
        (d: Record<string, unknown>) => d.messageType === 'DPE_Client_ID_Report' && d.reason === 'horizon',
      ),
    );
    const pub = await fetch(`${url2}/health`).then((r) => r.json() as Promise<Record<string, any>>);
    assert.equal(pub.delivery.deadLetters.count, full.delivery.deadLetters.count);
    assert.equal(pub.delivery.queues, undefined, 'without the admin token /health shows counts, not destinations');
    assert.equal(pub.delivery.deadLetters.recent, undefined);
  });

  it('a full queue gives up the newest messages visibly (queue-full), never grows beyond its bound', async () => {
    const { sink, url, dpe, log } = await world({ delivery: { maxQueuePerDestination: 2, attemptTimeoutMs: 10_000 } });
    sink.behaviour.set('/sp/f', () => 'hang');
    for (let i = 0; i < 5; i++) await causeReport(url, sink.url);
    const h = dpe.health().delivery;
    assert.equal(h.counters.byReason['queue-full'], 3);
    assert.equal(log.lines.filter((l) => l.reason === 'queue-full').length, 3);
    const q = 'queues' in h ? h.queues.find((x) => x.destination.endsWith('/sp/f')) : undefined;
    assert.equal(q?.depth, 2);
  });

  it('when a device-change release is given up, the rest of that batch is not sent; later messages still are', async () => {
    const { sink, url, dpe, log } = await world({ delivery: { horizonMs: 300 } });
    const user = msisdn();
    await post(url, '/dpe-1', registration(user, imei(), `${sink.url}/dev/old`));
    assert.equal((await post(url, '/dpe-2', groupSet(user, 'g1'), { token: SP.token })).status, 204);
    await dpe.settle();
    sink.behaviour.set('/dev/new', (r) => (r.body['Message-Type'] === 'DPE_Group_Release' ? 503 : 204));
    await post(url, '/dpe-1', registration(user, imei(), `${sink.url}/dev/new`)); // the SIM moves: a device change
    await dpe.settle();
    assert.deepEqual(
      sink.on_('/dev/new').map((r) => r.body['Message-Type']),
      [],
      'nothing of the abandoned batch arrives',
    );
    const reasons = log.lines.filter((l) => l.event === 'delivery-given-up').map((l) => `${String(l.messageType)}:${String(l.reason)}`);
    assert.deepEqual(reasons, ['DPE_Group_Release:horizon', 'DPE_Policy_Release:batch-abandoned', 'DPE_Group_Set:batch-abandoned']);
    // a later relay to the same client is its own message, not part of the batch
    assert.equal((await post(url, '/dpe-2', groupSet(user, 'g2'), { token: SP.token })).status, 204);
    await dpe.settle();
    assert.deepEqual(
      sink.on_('/dev/new').map((r) => r.body['Group-ID']),
      ['g2'],
    );
  });
});
