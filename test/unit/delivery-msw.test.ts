/**
 * At-least-once delivery of DPE_Client_ID_Report (8.2.3, binding): msw intercepts the server's
 * outbound fetch to SP and client Notify-URIs on a loopback URL nothing listens on. Requests to
 * the server under test itself pass through. msw only: nock lives in its own file (process).
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { http, HttpResponse, passthrough } from 'msw';
import request from 'supertest';
import type { DpeServer } from '../../src/server/app';
import { buildServer } from '../../src/server/app';
import { MessageValidator } from '../../src/catalog/validate';

/** Port 9 (discard) on loopback: never a real listener here, and never off the machine. */
const SINK = 'http://127.0.0.1:9';
const MAX_ATTEMPTS = 4;

const mock = setupServer(
  // server-to-client messages of the registrations below: accepted, not under test here
  http.post(`${SINK}/device/:name`, () => new HttpResponse(null, { status: 204 })),
);

interface Attempt {
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

let n = 0;
const user = () => `tel:+1555${process.pid}${String(++n).padStart(3, '0')}`;
const device = () => `35${process.pid}${String(n).padStart(4, '0')}`.padEnd(15, '0');

/** A server with one SP whose Notify-URI msw answers with `answer(attemptNumber)`. */
async function setup(spName: string, answer: (attempt: number) => Response) {
  const attempts: Attempt[] = [];
  mock.use(
    http.post(`${SINK}/sp/${spName}`, async ({ request: req }) => {
      attempts.push({ body: (await req.json()) as Record<string, unknown>, headers: Object.fromEntries(req.headers) });
      return answer(attempts.length);
    }),
  );
  const outcomes: string[] = [];
  const dpe = buildServer({
    policy: 'per-user-and-device',
    serviceProviders: [{ spId: spName, token: `${spName}-token`, notifyUri: `${SINK}/sp/${spName}` }],
    delivery: { maxAttempts: MAX_ATTEMPTS, retryBackoffMs: 2, attemptTimeoutMs: 1000 },
    onDelivery: (e) => {
      if (e.delivery.url.endsWith(`/sp/${spName}`)) outcomes.push(e.outcome);
    },
  });
  const base = await dpe.listen(0, '127.0.0.1');
  mock.use(http.all(`${base}/*`, () => passthrough()));
  return { dpe, attempts, outcomes, token: `${spName}-token` };
}

/** The SP asks about `u` (so it is concerned, 8.2.3), then `u` registers: its Client ID changes. */
async function causeReport(dpe: DpeServer, token: string, u: string): Promise<string> {
  const q = await request(dpe.server)
    .post('/dpe-2')
    .set('authorization', `Bearer ${token}`)
    .send({ 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 1, 'Query-Key': u });
  assert.equal(q.status, 200);
  assert.equal(q.body['Client-ID'], null);
  const r = await request(dpe.server)
    .post('/dpe-1')
    .send({
      'Message-Type': 'DPE_Registration_Request',
      'Message-ID': 'r1',
      'User-Identity': u,
      'Device-Identity': device(),
      'Notify-URI': `${SINK}/device/${n}`,
    });
  assert.equal(r.status, 200);
  return r.body['Client-ID'] as string;
}

describe('DPE_Client_ID_Report delivery with retries (msw)', () => {
  const servers: DpeServer[] = [];
  before(() => mock.listen({ onUnhandledRequest: 'error' }));
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    mock.resetHandlers();
  });
  after(() => mock.close());

  it('an SP that fails twice (503) gets the report on the third attempt with the same Message-ID', async () => {
    const { dpe, attempts, outcomes, token } = await setup('flaky', (i) =>
      i <= 2 ? HttpResponse.json({ busy: true }, { status: 503 }) : new HttpResponse(null, { status: 204 }),
    );
    servers.push(dpe);
    const u = user();
    const clientId = await causeReport(dpe, token, u);
    await dpe.settle();

    assert.equal(attempts.length, 3);
    assert.deepEqual(outcomes, ['HTTP 503', 'HTTP 503', 'delivered']);
    const ids = attempts.map((a) => a.body['Message-ID']);
    assert.equal(typeof ids[0], 'number');
    assert.deepEqual(ids, [ids[0], ids[0], ids[0]], 'retries keep the Message-ID so the SP can de-duplicate');
    for (const a of attempts) {
      assert.deepEqual(a.body, {
        'Message-Type': 'DPE_Client_ID_Report',
        'Message-ID': ids[0],
        'User-Identity': [u],
        'Client-ID': [clientId],
      });
      assert.equal(a.headers['content-type'], 'application/json');
    }
    const delivered = attempts.at(-1);
    assert.ok(delivered);
    assert.deepEqual(new MessageValidator().check(delivered.body, 'server-to-sp').problems, []);
  });

  it('a network error counts as a failed attempt and is retried too', async () => {
    const { dpe, attempts, outcomes, token } = await setup('reset', (i) =>
      i === 1 ? HttpResponse.error() : new HttpResponse(null, { status: 200 }),
    );
    servers.push(dpe);
    await causeReport(dpe, token, user());
    await dpe.settle();
    assert.equal(attempts.length, 2);
    const [failed, retry] = attempts;
    const [failure, delivery] = outcomes;
    assert.ok(failed && retry && failure);
    assert.match(failure, /^network error/);
    assert.equal(delivery, 'delivered');
    assert.equal(failed.body['Message-ID'], retry.body['Message-ID']);
  });

  it('an SP that always fails gets exactly maxAttempts attempts, then the server gives up', async () => {
    const { dpe, attempts, outcomes, token } = await setup('down', () => new HttpResponse('down', { status: 500 }));
    servers.push(dpe);
    await causeReport(dpe, token, user());
    await dpe.settle();
    assert.equal(attempts.length, MAX_ATTEMPTS);
    assert.deepEqual(outcomes, Array(MAX_ATTEMPTS).fill('HTTP 500'));
    assert.equal(new Set(attempts.map((a) => a.body['Message-ID'])).size, 1);
    // settled means given up: a later report still goes out, with a new Message-ID
    await causeReport(dpe, token, user());
    await dpe.settle();
    assert.equal(attempts.length, 2 * MAX_ATTEMPTS);
    const [first] = attempts;
    const later = attempts[MAX_ATTEMPTS];
    assert.ok(first && later);
    assert.notEqual(later.body['Message-ID'], first.body['Message-ID']);
  });
});
