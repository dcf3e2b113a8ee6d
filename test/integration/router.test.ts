/**
 * The mock-network router of a fixed mockPort (issue 9, item 1): one listener for every worker
 * delivers each message to the worker whose scenario it is about — devices by their path, SP
 * reports by the user identities and Client IDs they name — and a message nobody can own is
 * refused, kept and fails the run (summary `unowned`). Unit cases with two worker networks in
 * this process; then a whole CLI run with two workers against a server whose SPs are configured
 * statically, which also sends a report about a user no scenario has.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageValidator } from '../../src/catalog/validate';
import { MockNetwork } from '../../mocks/network';
import type { Party, ScenarioRoute } from '../../mocks/parties';
import { enrolWithRouter, leaveRouter, MockRouter } from '../../mocks/router';
import { closeRouter } from '../../src/cli/router-plugin';
import { readRun } from '../../src/report/run-reader';
import type { Summary } from '../../src/report/summary';
import { Trace } from '../../src/harness/trace';
import type { DpeServer } from '../../src/server/app';
import { buildServer } from '../../src/server/app';
import { freeLoopbackPort } from '../../src/process/loopback-port';
import { cli, close, EXAMPLE_ICS, listen, tempDir } from './cli-support';

interface Worker {
  network: MockNetwork;
  sp: Party & { status: number };
}

/** A scenario of a worker: its identities and devices. */
function route(id: string, identities: string[]): ScenarioRoute & { received: string[] } {
  const received: string[] = [];
  const r: ScenarioRoute & { received: string[] } = {
    id,
    trace: new Trace(),
    devices: new Map([['phone-A', { name: 'phone A', onMessage: (e) => received.push(`device ${e.messageType}`) }]]),
    identities: () => identities,
    onSpMessage: (_sp, e) => received.push(`sp ${JSON.stringify((e.body as Record<string, unknown>)['User-Identity'])}`),
    ended: false,
    onLate: () => undefined,
    received,
  };
  return r;
}

const report = (user: string | null, clientIds: string[]) =>
  JSON.stringify({
    'Message-Type': 'DPE_Client_ID_Report',
    'Message-ID': 1,
    'User-Identity': user === null ? null : [user],
    'Client-ID': clientIds,
  });

/** A worker's network behind `router`, playing the maps SP. */
async function worker(router: MockRouter, id: string): Promise<Worker> {
  const network = new MockNetwork(new MessageValidator({}), '127.0.0.1', 0);
  await network.start();
  network.advertiseAs(await enrolWithRouter(router.controlUrl, { id, base: network.listeningUrl }));
  const sp = { name: 'maps provider', status: 204, respond: () => sp.status };
  network.addSp('sp-maps', sp);
  return { network, sp };
}

const postTo = (router: MockRouter) => async (path: string, body: string) =>
  (await fetch(`${router.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status;

describe('the mock-network router of a run with two workers', () => {
  const router = new MockRouter('127.0.0.1', 0, undefined, 2);
  const workers: Worker[] = [];
  const post = postTo(router);

  before(async () => {
    await router.start();
    for (const id of ['0', '1']) workers.push(await worker(router, id));
  });
  after(async () => {
    await router.stop();
    for (const w of workers) await w.network.stop();
  });

  it('gives out Notify-URIs on the router, not on the worker', () => {
    assert.ok(workers[0]!.network.spUri('sp-maps').startsWith(`${router.baseUrl}/sps/`));
    assert.ok(workers[1]!.network.clientUri('abc', 'phone-A').startsWith(`${router.baseUrl}/clients/abc/`));
    assert.notEqual(workers[0]!.network.listeningUrl, router.baseUrl);
  });

  it("delivers each report to the worker whose scenario names its user, and a device's message by its path", async () => {
    const a = route('scen-a', ['tel:+15550000000101', 'cid-a']);
    const b = route('scen-b', ['tel:+15550000000201', 'cid-b']);
    workers[0]!.network.attach(a);
    workers[1]!.network.attach(b);
    assert.equal(await post('/sps/sp-maps', report('tel:+15550000000201', ['cid-b'])), 204);
    assert.equal(await post('/sps/sp-maps', report('tel:+15550000000101', ['cid-a'])), 204);
    assert.equal(
      await post('/clients/scen-b/phone-A', JSON.stringify({ 'Message-Type': 'DPE_Group_Release', 'Message-ID': 1, Group_ID: '*' })),
      204,
    );
    // a userless report (6.3.7) names only the Client ID
    assert.equal(await post('/sps/sp-maps', report(null, ['cid-a'])), 204);
    assert.deepEqual(a.received, ['sp ["tel:+15550000000101"]', 'sp null']);
    assert.deepEqual(b.received, ['sp ["tel:+15550000000201"]', 'device DPE_Group_Release']);
    assert.equal(router.unowned.length, 0);
  });

  it("delivers a report about a finished scenario's user to its worker, and relays the SP's answer", async () => {
    const done = route('scen-done', ['tel:+15550000000301']);
    workers[1]!.network.attach(done);
    workers[1]!.network.attach(route('scen-next', ['tel:+15550000000302']));
    workers[1]!.sp.status = 503;
    assert.equal(await post('/sps/sp-maps', report('tel:+15550000000301', [])), 503, 'the SP turned it away: the target must be told so');
    workers[1]!.sp.status = 204;
    assert.deepEqual(done.received, ['sp ["tel:+15550000000301"]']);
  });

  it('refuses a report about a user no scenario has: unowned, and it fails the run', async () => {
    assert.equal(await post('/sps/sp-maps', report('tel:+19990000000000', [])), 404);
    assert.equal(await post('/sps/sp-other', report('tel:+15550000000101', [])), 404);
    assert.equal(router.unowned.length, 2);
    assert.match(router.unowned[0]!.why, /naming no identity any scenario knows, in a run of 2 workers/);
    assert.match(router.unowned[1]!.why, /no worker of this run has this SP/);
    // the run's end turns them into late verdicts that belong to no scenario: the summary's unowned
    const dir = tempDir('dpe-router-');
    const file = join(dir, 'late-verdicts.ndjson');
    const late = await closeRouter(
      { unowned: router.unowned, tooLate: [], stop: async () => undefined, baseUrl: router.baseUrl },
      { DPE_LATE_VERDICTS_FILE: file },
      { write: () => true } as unknown as NodeJS.WritableStream,
    );
    assert.equal(late.length, 2);
    const run = readRun('', file);
    assert.equal(run.unowned.length, 2);
    assert.match(run.unowned[0]!, /a message belongs to no scenario: .*in a run of 2 workers/);
    // even while only one worker runs a scenario: it may be another worker's that just ended
    workers[0]!.network.detach();
    assert.equal(await post('/sps/sp-maps', report('tel:+19990000000001', [])), 404);
  });

  it('answers 410 for a scenario whose worker has ended, apart from the unowned', async () => {
    const before = router.unowned.length;
    await leaveRouter(router.controlUrl, '1');
    assert.equal(await post('/clients/scen-b/phone-A', '{}'), 410);
    assert.equal(await post('/sps/sp-maps', report('tel:+15550000000201', [])), 410);
    assert.equal(router.tooLate.length, 2);
    assert.equal(router.unowned.length, before);
  });
});

describe('the mock-network router of a run without workers', () => {
  it('charges a report naming nobody to the running scenario, as one network does', async () => {
    const router = new MockRouter('127.0.0.1', 0, undefined, 0);
    await router.start();
    const w = await worker(router, '0');
    try {
      const running = route('scen-only', ['tel:+15550000000401']);
      w.network.attach(running);
      assert.equal(await postTo(router)('/sps/sp-maps', report('tel:+19990000000001', [])), 204);
      assert.deepEqual(running.received, ['sp ["tel:+19990000000001"]']);
      // with no scenario running nobody can own it: refused and kept, as one network does
      w.network.detach();
      assert.equal(await postTo(router)('/sps/sp-maps', report('tel:+19990000000003', [])), 404);
      assert.equal(router.unowned.length, 1);
    } finally {
      await router.stop();
      await w.network.stop();
    }
  });
});

describe('a CLI run with two workers against SPs configured in the server (one router on the fixed mockPort)', () => {
  let server: DpeServer;
  before(async () => {
    server = buildServer({ policy: 'per-user-and-device', serviceProviders: [] });
  });
  after(() => server.close());

  it('routes every report to its worker, and a report about an unknown user fails the run as unowned', async () => {
    const mockPort = await freeLoopbackPort();
    const sps = [
      { alias: 'maps', spId: 'sp-maps', token: 'maps-token-0001' },
      { alias: 'music', spId: 'sp-music', token: 'music-token-0002' },
    ];
    // the server under test knows its SPs beforehand, at the fixed mock port
    server = buildServer({
      policy: 'per-user-and-device',
      serviceProviders: sps.map((s) => ({ spId: s.spId, token: s.token, notifyUri: `http://127.0.0.1:${mockPort}/sps/${s.spId}` })),
    });
    const reference = await server.listen(0, '127.0.0.1');
    // …and, with the first registration it is sent, also reports about a user no scenario has
    let stray = false;
    const front = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        if (!stray && body.includes('DPE_Registration_Request')) {
          stray = true;
          await fetch(`http://127.0.0.1:${mockPort}/sps/sp-maps`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: report('tel:+19990000000002', ['stray-id']),
          }).catch(() => undefined);
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)),
        ) as Record<string, string>;
        const a = await fetch(new URL(req.url ?? '/', reference), { method: req.method, headers, body: body.length ? body : undefined });
        res
          .writeHead(a.status, { 'content-type': a.headers.get('content-type') ?? 'application/json' })
          .end(Buffer.from(await a.arrayBuffer()));
      });
    });
    front.keepAliveTimeout = 100;
    const url = await listen(front);
    const dir = tempDir('dpe-static-');
    const ixit = join(dir, 'ixit.json');
    writeFileSync(
      ixit,
      JSON.stringify({
        mockHost: '127.0.0.1',
        mockPort,
        serviceProviders: sps,
        onboardThroughProvisioning: false,
        timing: { deliveryDeadlineMs: 1500, quietPeriodMs: 120 },
      }),
    );
    try {
      const reports = join(dir, 'reports');
      const r = await cli(
        [
          'run',
          '--target',
          url,
          '--ics',
          EXAMPLE_ICS,
          '--ixit',
          ixit,
          '--parallel',
          '2',
          '--tags',
          '@clause-8.2.3 or @clause-6.3.7',
          '--reports-dir',
          reports,
          '--run-id',
          'static',
        ],
        { deadlineMs: 180_000 },
      );
      const context = `\n${r.stderr}\n${r.stdout.slice(-1500)}`;
      assert.equal(r.code, 1, context);
      assert.match(r.stderr, /2 worker\(s\)/, context);
      const s = JSON.parse(readFileSync(join(reports, 'static', 'summary.json'), 'utf8')) as Summary;
      // every scenario passes: each worker was delivered its own reports (a misrouted one fails its scenario)
      assert.deepEqual(
        s.scenarios.filter((x) => x.verdict !== 'pass' && x.verdict !== 'not applicable'),
        [],
        context,
      );
      assert.ok(s.scenarios.filter((x) => x.verdict === 'pass').length >= 10, context);
      assert.equal(s.verdict, 'fail');
      assert.ok(
        s.reasons.some((x) => /belongs to no scenario: .*no identity any scenario knows/.test(x)),
        s.reasons.join('\n'),
      );
    } finally {
      await close(front);
    }
  });
});
