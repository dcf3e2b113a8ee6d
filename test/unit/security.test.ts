/**
 * Security guarantees of the reference server (docs/security.md): test hooks off in the
 * standalone server unless switched on, and then behind the admin token; re-onboarding needs the
 * SP's current token; unguessable Client IDs through the mintClientId seam; SP isolation; the
 * Notify-URI policy; redirects never followed; X-DPE-* identities only from trusted proxies;
 * the SP query scope option. Loopback only.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildServer } from '../../src/server/app';
import { parseStandalone } from '../../src/server/cli-options';
import { AddressPolicy, sameSecret } from '../../src/server/security';
import type { ServerOptions } from '../../src/server/options';
import { Sink, fresh, groupSet, imei, msisdn, post, query, registration, startDpe } from './support/probe';

const SP_A = { spId: 'sp-a', token: 'sp-a-token-0001' };
const SP_B = { spId: 'sp-b', token: 'sp-b-token-0002' };
const ADMIN = 'admin-token-0123456789';
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function world(o: Partial<ServerOptions> = {}) {
  const sink = await new Sink().start();
  closers.push(() => sink.stop());
  const { dpe, url } = await startDpe({
    policy: 'per-user-and-device',
    serviceProviders: [
      { ...SP_A, notifyUri: `${sink.url}/sp/a` },
      { ...SP_B, notifyUri: `${sink.url}/sp/b` },
    ],
    delivery: { retryBackoffMs: 5, horizonMs: 500 },
    ...o,
  });
  closers.push(() => dpe.close());
  return { sink, dpe, url };
}

const onboard = (url: string, body: Record<string, unknown>, token?: string) =>
  post(url, '/provisioning/service-providers', body, { token });

describe('test hooks: off in the standalone server, behind the admin token when on', () => {
  it('the standalone server offers no test hook by default (404)', async () => {
    const cfg = parseStandalone(['node', 'main', '--port', '0'], {});
    assert.equal(cfg.options.provisioningEndpoint, false);
    assert.equal(cfg.options.serverDrivenRegistration, false);
    const dpe = buildServer(cfg.options);
    const url = await dpe.listen(0, '127.0.0.1');
    closers.push(() => dpe.close());
    for (const path of ['/provisioning/service-providers', '/provisioning/registration-triggers']) {
      const a = await post(url, path, {});
      assert.equal(a.status, 404, path);
    }
  });

  it('--test-hooks needs an admin token (flag or DPE_ADMIN_TOKEN) of the minimum length; static SP tokens too', () => {
    assert.throws(() => parseStandalone(['node', 'main', '--test-hooks'], {}), /needs an admin token/);
    assert.throws(() => parseStandalone(['node', 'main', '--test-hooks', '--admin-token', 'short'], {}), /admin token is shorter than 12/);
    assert.throws(() => parseStandalone(['node', 'main', '--sp', 'x,tiny,http://127.0.0.1:9/sp'], {}), /token of SP x is shorter/);
    const cfg = parseStandalone(['node', 'main', '--test-hooks'], { DPE_ADMIN_TOKEN: ADMIN });
    assert.equal(cfg.options.provisioningEndpoint, true);
    assert.equal(cfg.options.adminToken, ADMIN);
  });

  it('with an admin token, a hook without it or with a wrong one is 401 and changes nothing; with it, 201', async () => {
    const { url } = await world({ adminToken: ADMIN });
    const body = { 'SP-ID': 'sp-new', Token: 'sp-new-token-0001', 'Notify-URI': 'http://127.0.0.1:9/sp/new' };
    for (const t of [undefined, 'wrong-admin-token-00', `${ADMIN}x`, SP_A.token]) {
      const a = await onboard(url, body, t);
      assert.equal(a.status, 401, `token ${t}`);
      assert.equal((a.body?.Error as { Code: string }).Code, 'UNAUTHORIZED');
    }
    assert.equal((await post(url, '/dpe-2', query(msisdn()), { token: body.Token })).status, 401, 'not onboarded');
    assert.equal((await onboard(url, body, ADMIN)).status, 201);
    assert.equal((await post(url, '/dpe-2', query(msisdn()), { token: body.Token })).status, 200);
    assert.equal((await post(url, '/provisioning/registration-triggers', { 'Client-ID': 'x' })).status, 401);
  });

  it('the embedded server (no admin token, as the harness builds it from its ICS) keeps its hooks open', async () => {
    const { url } = await world();
    assert.equal(
      (await onboard(url, { 'SP-ID': 'sp-open', Token: 'sp-open-token-01', 'Notify-URI': 'http://127.0.0.1:9/sp/o' })).status,
      201,
    );
  });
});

describe('onboarding: re-onboarding an SP-ID needs its current token', () => {
  it('without it (403) the reports keep going to the real SP; with it the SP may move or rotate its token', async () => {
    const { sink, url, dpe } = await world({ adminToken: ADMIN });
    const stolen = { 'SP-ID': SP_A.spId, Token: 'attacker-token-0001', 'Notify-URI': `${sink.url}/evil` };
    const a = await onboard(url, stolen, ADMIN);
    assert.equal(a.status, 403);
    assert.deepEqual([(a.body?.Error as { Code: string; IE: string }).Code, (a.body?.Error as { IE: string }).IE], ['FORBIDDEN', 'Token']);
    const u = msisdn();
    await post(url, '/dpe-2', query(u), { token: SP_A.token });
    await post(url, '/dpe-1', registration(u, imei(), `${sink.url}/dev/${fresh()}`));
    await dpe.settle();
    assert.equal(sink.on_('/evil').length, 0);
    assert.equal(sink.on_('/sp/a').length, 1);
    // the SP itself moves (same token) and then rotates it (Current-Token)
    assert.equal((await onboard(url, { 'SP-ID': SP_A.spId, Token: SP_A.token, 'Notify-URI': `${sink.url}/sp/a2` }, ADMIN)).status, 200);
    const rotated = { 'SP-ID': SP_A.spId, Token: 'sp-a-rotated-token-01', 'Current-Token': SP_A.token, 'Notify-URI': `${sink.url}/sp/a2` };
    assert.equal((await onboard(url, rotated, ADMIN)).status, 200);
    assert.equal((await post(url, '/dpe-2', query(u), { token: SP_A.token })).status, 401, 'the old token is void');
    assert.equal((await post(url, '/dpe-2', query(u), { token: rotated.Token })).status, 200);
  });
});

describe('Client IDs and tokens', () => {
  it('Client IDs carry 128 random bits (unguessable); the mintClientId seam still shapes them', async () => {
    const { url } = await world();
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const a = await post(url, '/dpe-1', registration(msisdn(), imei(), 'http://127.0.0.1:9/dev/z'));
      const id = a.body?.['Client-ID'] as string;
      assert.match(id, /^dpe-[A-Za-z0-9_-]{22}$/);
      ids.add(id);
    }
    assert.equal(ids.size, 100);
    const seq = await world({ seams: { mintClientId: (n) => `seam-${n}` } });
    const a = await post(seq.url, '/dpe-1', registration(msisdn(), imei(), 'http://127.0.0.1:9/dev/z'));
    assert.equal(a.body?.['Client-ID'], 'seam-1');
  });

  it('tokens are compared in constant time over their digests (any length)', () => {
    assert.equal(sameSecret('abc', 'abc'), true);
    assert.equal(sameSecret('abc', 'abd'), false);
    assert.equal(sameSecret('abc', 'abcabc'), false);
    assert.equal(sameSecret('', 'x'), false);
  });
});

describe('SP isolation: one SP cannot change what another defined for the same user', () => {
  it("SP B setting SP A's group or policy id is 409 CONFLICT; the device keeps and is restored A's definition", async () => {
    const { sink, url, dpe } = await world();
    const user = msisdn();
    await post(url, '/dpe-1', registration(user, imei(), `${sink.url}/dev/one`));
    assert.equal((await post(url, '/dpe-2', groupSet(user, 'shared', ['a-prop']), { token: SP_A.token })).status, 204);
    const policy = {
      'Message-Type': 'DPE_Property_Policy_Set',
      'Message-ID': 2,
      'User-Identity': user,
      'Policy-ID': 'pol',
      Property: 'a-prop',
      Policy: { Trigger: 'on-change' },
    };
    assert.equal((await post(url, '/dpe-2', policy, { token: SP_A.token })).status, 204);
    const g = await post(url, '/dpe-2', groupSet(user, 'shared', ['b-prop']), { token: SP_B.token });
    assert.equal(g.status, 409);
    assert.deepEqual([(g.body?.Error as { Code: string }).Code, (g.body?.Error as { IE: string }).IE], ['CONFLICT', 'Group-ID']);
    assert.doesNotMatch((g.body?.Error as { Detail: string }).Detail, /sp-a/, 'the owner is not disclosed');
    assert.equal((await post(url, '/dpe-2', { ...policy, Property: 'b-prop' }, { token: SP_B.token })).status, 409);
    const hang = {
      'Message-Type': 'DPE_Group_Policy_Set',
      'Message-ID': 3,
      'User-Identity': user,
      'Policy-ID': 'b-pol',
      'Group-ID': 'shared',
      Policy: { Trigger: 'on-change' },
    };
    assert.equal((await post(url, '/dpe-2', hang, { token: SP_B.token })).status, 409, "no policy of B on A's group");
    assert.equal(
      (await post(url, '/dpe-2', groupSet(user, 'b-own', ['b-prop']), { token: SP_B.token })).status,
      204,
      'B defines its own ids',
    );
    assert.equal(
      (await post(url, '/dpe-2', groupSet(user, 'shared', ['a-prop', 'a2']), { token: SP_A.token })).status,
      204,
      'A may change its own',
    );
    await post(url, '/dpe-1', registration(user, imei(), `${sink.url}/dev/two`)); // SIM move: restore
    await dpe.settle();
    const restored = sink.on_('/dev/two').filter((r) => r.body['Message-Type'] === 'DPE_Group_Set');
    assert.deepEqual(
      restored.map((r) => [r.body['Group-ID'], r.body.Properties]),
      [
        ['shared', ['a-prop', 'a2']],
        ['b-own', ['b-prop']],
      ],
    );
    const one = sink
      .on_('/dev/one')
      .filter((r) => r.body['Group-ID'] === 'shared')
      .map((r) => r.body.Properties);
    assert.deepEqual(one, [['a-prop'], ['a-prop', 'a2']], "B's rejected set was never relayed");
  });
});

describe('outbound: the Notify-URI policy and redirects', () => {
  it('a Notify-URI must name an allowed host: loopback by default, configurable, "*" for any', async () => {
    const { url } = await world();
    for (const [uri, ok] of [
      ['http://127.0.0.1:9/d', true],
      ['http://127.1.2.3:9/d', true],
      ['http://localhost:9/d', true],
      ['http://[::1]:9/d', true],
      ['http://10.0.0.1/d', false],
      ['http://169.254.169.254/latest/meta-data', false],
      ['http://example.invalid/d', false],
      ['http://[::ffff:10.0.0.1]/d', false],
    ] as const) {
      const a = await post(url, '/dpe-1', registration(msisdn(), imei(), uri));
      assert.equal(a.status, ok ? 200 : 400, uri);
      if (!ok) assert.equal((a.body?.Error as { IE: string }).IE, 'Notify-URI');
    }
    const lan = await world({ security: { notifyHosts: ['10.0.0.0/8', 'dpe-clients.internal'] } });
    assert.equal((await post(lan.url, '/dpe-1', registration(msisdn(), imei(), 'http://10.1.1.1/d'))).status, 200);
    assert.equal((await post(lan.url, '/dpe-1', registration(msisdn(), imei(), 'http://dpe-clients.internal/d'))).status, 200);
    assert.equal(
      (await post(lan.url, '/dpe-1', registration(msisdn(), imei(), 'http://127.0.0.1/d'))).status,
      400,
      'the list replaces the default',
    );
    assert.ok(new AddressPolicy(['*']).allows('anything.example'));
  });

  it('a redirect from a destination is never followed: the message does not reach the redirect target', async () => {
    const target = await new Sink().start();
    closers.push(() => target.stop());
    // the SP's endpoint answers 307 to another address, which would receive the report (with its body) if followed
    const red = http.createServer((_req, res) => res.writeHead(307, { location: `${target.url}/stolen` }).end());
    await new Promise<void>((done) => red.listen(0, '127.0.0.1', () => done()));
    closers.push(() => new Promise((done) => red.close(() => done())));
    const port = (red.address() as AddressInfo).port;
    const attempts: string[] = [];
    const w = await world({
      serviceProviders: [{ ...SP_A, notifyUri: `http://127.0.0.1:${port}/sp/a` }],
      onDelivery: (e) => attempts.push(e.outcome),
    });
    const u = msisdn();
    await post(w.url, '/dpe-2', query(u), { token: SP_A.token });
    await post(w.url, '/dpe-1', registration(u, imei(), `${w.sink.url}/dev/x`));
    await w.dpe.settle();
    assert.equal(target.received.length, 0, 'nothing reached the redirect target');
    assert.ok(
      attempts.some((o) => /HTTP 307 \(redirects are not followed\)/.test(o)),
      attempts.join('; '),
    );
  });
});

describe('network identity headers and the query scope', () => {
  const netReg = (uri: string) => ({ 'Message-Type': 'DPE_Registration_Request', 'Message-ID': 'n1', 'Notify-URI': uri });
  const headers = () => ({ 'x-dpe-user-identity': msisdn(), 'x-dpe-device-identity': imei() });

  it('X-DPE-* identities count from a trusted proxy (default: loopback) and are ignored from any other peer', async () => {
    const trusted = await world();
    assert.equal((await post(trusted.url, '/dpe-1', netReg('http://127.0.0.1:9/d'), { headers: headers() })).status, 200);
    const untrusted = await world({ security: { trustedProxies: ['10.9.9.9'] } });
    const a = await post(untrusted.url, '/dpe-1', netReg('http://127.0.0.1:9/d'), { headers: headers() });
    assert.equal(a.status, 400);
    assert.equal((a.body?.Error as { Code: string }).Code, 'MISSING_IDENTITY');
  });

  it('spQueryScope "defined-users": an SP learns nothing of a user it has no business with, and gets no reports', async () => {
    const { sink, url, dpe } = await world({ security: { spQueryScope: 'defined-users' } });
    const user = msisdn();
    const first = await post(url, '/dpe-1', registration(user, imei(), `${sink.url}/dev/q`));
    assert.equal((await post(url, '/dpe-2', query(user), { token: SP_B.token })).body?.['Client-ID'], null);
    await post(url, '/dpe-1', registration(user, imei(), `${sink.url}/dev/q2`));
    await dpe.settle();
    assert.equal(sink.on_('/sp/b').length, 0, 'not concerned through a refused query');
    assert.equal((await post(url, '/dpe-2', groupSet(user, 'gq'), { token: SP_A.token })).status, 204);
    const a = await post(url, '/dpe-2', query(user), { token: SP_A.token });
    assert.equal((a.body?.['Client-ID'] as string[]).length, 1);
    assert.notEqual((a.body?.['Client-ID'] as string[])[0], first.body?.['Client-ID']);
  });
});
