/**
 * Order of server-to-client delivery under a flaky client (8.2.2, derived rule "releases before
 * sets"): nock plays the client Notify-URIs on a loopback URL nothing listens on; real network
 * is allowed only to the server under test. nock only: msw lives in its own file (process).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import nock from 'nock';
import type { DpeServer } from '../../src/server/app';
import { buildServer } from '../../src/server/app';
import { MessageValidator } from '../../src/catalog/validate';

const SINK = 'http://127.0.0.1:9';
const validator = new MessageValidator();

interface Seen {
  path: string;
  body: Record<string, unknown>;
  clientId: string | undefined;
  outcome: 'reset' | 'accepted';
}

describe('server-to-client delivery with a connection reset (nock)', () => {
  let dpe: DpeServer;
  let base: string;
  const seen: Seen[] = [];
  const outcomes: string[] = [];

  before(async () => {
    dpe = buildServer({
      policy: 'per-user-and-device',
      serviceProviders: [{ spId: 'sp-n', token: 'sp-n-token', notifyUri: `${SINK}/sp` }],
      delivery: { retryBackoffMs: 2, maxAttempts: 4, attemptTimeoutMs: 1000 },
      onDelivery: (e) => outcomes.push(`${e.delivery.url} ${String(e.delivery.body['Message-Type'])} #${e.attempt}: ${e.outcome}`),
    });
    base = await dpe.listen(0, '127.0.0.1');
    const port = new URL(base).port;
    nock.disableNetConnect();
    nock.enableNetConnect((host: string) => host === `127.0.0.1:${port}`);
  });
  after(async () => {
    await dpe.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  /** Records what reached `path`, then answers with `outcome`. */
  const record = (path: string, outcome: Seen['outcome']) =>
    function (this: nock.ReplyFnContext, _uri: string, body: nock.Body): [number] {
      seen.push({ path, body: body as Record<string, unknown>, clientId: this.req.headers['dpe-client-id'] as string, outcome });
      return [204];
    };

  async function post(path: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  }

  const registration = (messageId: string, user: string, device: string, notifyUri: string) => ({
    'Message-Type': 'DPE_Registration_Request',
    'Message-ID': messageId,
    'User-Identity': user,
    'Device-Identity': device,
    'Notify-URI': notifyUri,
  });

  it('blocks real network except to the server under test', async () => {
    await assert.rejects(fetch(`${SINK}/nothing-here`, { method: 'POST', body: '{}' }), (e: Error) => {
      assert.match(String((e as Error & { cause?: Error }).cause?.message ?? e.message), /Nock: Disallowed net connect/);
      return true;
    });
  });

  it('the releases still reach the new device before the sets after one connection reset', async () => {
    const user = `tel:+1555${process.pid}01`;
    nock(SINK).post('/device/a').times(10).reply(record('/device/a', 'accepted'));
    nock(SINK).post('/sp').times(10).reply(204);

    const ra = await post('/dpe-1', registration('a1', user, '356938035643801', `${SINK}/device/a`));
    assert.equal(ra.status, 200);
    for (const [i, body] of [
      { 'Message-Type': 'DPE_Group_Set', 'Group-ID': 'g1', Properties: ['battery'] },
      { 'Message-Type': 'DPE_Property_Policy_Set', 'Policy-ID': 'p1', Property: 'cell', Policy: { Trigger: 'on-change' } },
      { 'Message-Type': 'DPE_Group_Policy_Set', 'Policy-ID': 'p2', 'Group-ID': 'g1', Policy: { Trigger: 'periodic', Period: 60 } },
    ].entries()) {
      const r = await post('/dpe-2', { ...body, 'Message-ID': i + 1, 'User-Identity': user }, 'sp-n-token');
      assert.equal(r.status, 204, JSON.stringify(r.body));
    }
    await dpe.settle();

    // device b: the first connection is reset, then it accepts everything
    let resets = 0;
    nock(SINK)
      .post('/device/b', (body: Record<string, unknown>) => {
        seen.push({ path: '/device/b', body, clientId: undefined, outcome: 'reset' });
        resets++;
        return true;
      })
      // a message, not an error object: nock 14.0.9's node:http interception crashes on an object here
      .replyWithError('socket hang up');
    nock(SINK).post('/device/b').times(10).reply(record('/device/b', 'accepted'));

    const rb = await post('/dpe-1', registration('b1', user, '356938035643802', `${SINK}/device/b`));
    assert.equal(rb.status, 200);
    const idB = rb.body['Client-ID'] as string;
    await dpe.settle();

    assert.equal(resets, 1);
    const atB = seen.filter((s) => s.path === '/device/b');
    assert.deepEqual(
      atB.map((s) => `${s.outcome} ${String(s.body['Message-Type'])}`),
      [
        'reset DPE_Group_Release',
        'accepted DPE_Group_Release',
        'accepted DPE_Policy_Release',
        'accepted DPE_Group_Set',
        'accepted DPE_Property_Policy_Set',
        'accepted DPE_Group_Policy_Set',
      ],
      outcomes.join('\n'),
    );
    const [reset, groupRelease, policyRelease] = atB;
    assert.ok(reset && groupRelease && policyRelease);
    assert.equal(reset.body['Message-ID'], groupRelease.body['Message-ID'], 'the retry keeps the Message-ID');
    assert.equal(groupRelease.body.Group_ID, '*');
    assert.equal(policyRelease.body['Policy-ID'], '*');
    for (const s of atB.slice(1)) {
      assert.equal(s.clientId, idB);
      assert.deepEqual(validator.check(s.body, 'server-to-client').problems, []);
    }
    assert.ok(
      outcomes.some((o) => /device\/b DPE_Group_Release #1: network error/.test(o)),
      outcomes.join('\n'),
    );
  });
});
