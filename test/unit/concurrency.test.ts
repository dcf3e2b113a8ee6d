/**
 * Races on the reference server through the binding: concurrent registrations of one user,
 * concurrent onboarding of one SP-ID, two SPs racing for one group id. Each ends in one
 * consistent state, and the reports an SP got end where the query answer is.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sink, groupSet, imei, msisdn, post, query, registration, startDpe } from './support/probe';

const SP_A = { spId: 'sp-a', token: 'sp-a-token-0001' };
const SP_B = { spId: 'sp-b', token: 'sp-b-token-0002' };
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function world() {
  const sink = await new Sink().start();
  const { dpe, url } = await startDpe({
    policy: 'per-user-and-device',
    serviceProviders: [
      { ...SP_A, notifyUri: `${sink.url}/sp/a` },
      { ...SP_B, notifyUri: `${sink.url}/sp/b` },
    ],
    adminToken: 'admin-token-0123456789',
  });
  closers.push(
    () => sink.stop(),
    () => dpe.close(),
  );
  return { sink, dpe, url };
}

describe('concurrency races end in one consistent state', { timeout: 60_000 }, () => {
  it('20 devices register one SIM (tel:) at once: one Client ID remains, and the last report says so', async () => {
    const { sink, dpe, url } = await world();
    const user = msisdn();
    await post(url, '/dpe-2', query(user), { token: SP_A.token });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(url, '/dpe-1', registration(user, imei(), `${sink.url}/dev/${i}`))),
    );
    assert.ok(answers.every((a) => a.status === 200));
    const ids = (await post(url, '/dpe-2', query(user), { token: SP_A.token })).body?.['Client-ID'] as string[];
    assert.equal(ids.length, 1, 'a SIM is on one device at a time');
    assert.ok(answers.some((a) => a.body?.['Client-ID'] === ids[0]));
    await dpe.settle();
    const reports = sink.on_('/sp/a').sort((a, b) => (a.body['Message-ID'] as number) - (b.body['Message-ID'] as number));
    assert.deepEqual(reports.at(-1)?.body['Client-ID'], ids, 'the newest report matches the query answer');
    assert.equal(new Set(reports.map((r) => r.body['Message-ID'])).size, reports.length, 'report Message-IDs unique');
  });

  it('10 devices of one SIP user register at once: all 10 Client IDs are valid together', async () => {
    const { url } = await world();
    const user = `sip:race${Date.now()}@example.invalid`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(url, '/dpe-1', registration(user, imei(), `http://127.0.0.1:9/dev/${i}`))),
    );
    const ids = (await post(url, '/dpe-2', query(user), { token: SP_A.token })).body?.['Client-ID'] as string[];
    assert.deepEqual([...ids].sort(), answers.map((a) => a.body?.['Client-ID'] as string).sort());
  });

  it('10 onboardings of one new SP-ID with different tokens at once: exactly one wins', async () => {
    const { url } = await world();
    const tokens = Array.from({ length: 10 }, (_, i) => `racer-token-${i}-000000`);
    const answers = await Promise.all(
      tokens.map((t) =>
        post(
          url,
          '/provisioning/service-providers',
          { 'SP-ID': 'sp-race', Token: t, 'Notify-URI': 'http://127.0.0.1:9/sp/race' },
          { token: 'admin-token-0123456789' },
        ),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, ...Array(9).fill(403)]);
    const winner = tokens[answers.findIndex((a) => a.status === 201)];
    for (const t of tokens) assert.equal((await post(url, '/dpe-2', query(msisdn()), { token: t })).status, t === winner ? 200 : 401);
  });

  it("two SPs set the same group id for one user at once (10 rounds): one 204, one 409, the device holds the winner's", async () => {
    const { sink, url, dpe } = await world();
    for (let round = 0; round < 10; round++) {
      const user = msisdn();
      await post(url, '/dpe-1', registration(user, imei(), `${sink.url}/dev/r${round}`));
      const [a, b] = await Promise.all([
        post(url, '/dpe-2', groupSet(user, 'contested', ['from-a']), { token: SP_A.token }),
        post(url, '/dpe-2', groupSet(user, 'contested', ['from-b']), { token: SP_B.token }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [204, 409], `round ${round}`);
      await dpe.settle();
      const sets = sink.on_(`/dev/r${round}`).filter((r) => r.body['Message-Type'] === 'DPE_Group_Set');
      assert.deepEqual(
        sets.map((r) => r.body.Properties),
        [a.status === 204 ? ['from-a'] : ['from-b']],
      );
    }
  });
});
