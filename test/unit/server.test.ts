/**
 * The reference DPE Server through its HTTP app (supertest): registration, identities, the
 * three Client ID policies, DPE-2 authentication, provisioning, and bad input rejected with the
 * binding's error object and no change of state. Server-to-client and server-to-SP messages go
 * to a real loopback receiver started here; waits for them are event-driven with a deadline.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { DpeServer, ServerOptions } from '../../src/server/app';
import { buildServer } from '../../src/server/app';
import { MessageValidator } from '../../src/catalog/validate';
import type { ClientIdPolicy } from '../../src/config/ics';

const DEADLINE_MS = 2000;

interface Received {
  seq: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A loopback HTTP receiver standing in for client and SP Notify-URIs; answers 204. */
class Receiver {
  readonly got: Received[] = [];
  private waiters: Array<() => void> = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      this.got.push({ seq: this.got.length + 1, path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : {} });
      res.writeHead(204).end();
      for (const w of this.waiters.splice(0)) w();
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.got.filter((g) => g.path === path);
  }

  /** Resolves with the first `count` messages to `path` once they arrived; rejects at the deadline. */
  waitFor(path: string, count: number, deadlineMs = DEADLINE_MS): Promise<Received[]> {
    return this.waitMatch((g) => g.path === path, count, `at ${path}`, deadlineMs);
  }

  async waitMatch(match: (g: Received) => boolean, count: number, what: string, deadlineMs = DEADLINE_MS): Promise<Received[]> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const got = this.got.filter(match);
      if (got.length >= count) return got.slice(0, count);
      const left = end - Date.now();
      if (left <= 0) {
        throw new Error(`expected ${count} message(s) ${what} within ${deadlineMs} ms, got ${JSON.stringify(got.map((g) => g.body))}`);
      }
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const rx = new Receiver();
const SP = { spId: 'sp-a', token: 'token-a-0001', path: '/sp/a' };
const clientValidator = new MessageValidator();

let seq = 0;
const fresh = () => `${process.pid}${String(++seq).padStart(4, '0')}`;
const msisdn = () => `tel:+1555${fresh()}`;
const sipUri = () => `sip:user${fresh()}@example.invalid`;
const imei = () => `35${fresh()}`.padEnd(15, '0');

/** A plain-data deep copy of the server state, for before/after comparison. */
function snap(v: unknown): unknown {
  if (v instanceof Map) return [...v].map(([k, x]) => [snap(k), snap(x)]);
  if (v instanceof Set) return [...v].map(snap);
  if (Array.isArray(v)) return v.map(snap);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snap(x)]));
  return v;
}

async function startServer(o: Partial<ServerOptions> & { policy: ClientIdPolicy }): Promise<DpeServer> {
  const dpe = buildServer({
    serviceProviders: [{ spId: SP.spId, token: SP.token, notifyUri: rx.url + SP.path }],
    delivery: { retryBackoffMs: 5, maxAttempts: 3 },
    ...o,
  });
  // listening first keeps supertest on this loopback address instead of its own 0.0.0.0 listener
  await dpe.listen(0, '127.0.0.1');
  return dpe;
}

interface Reg {
  user?: string;
  device?: string;
  headers?: Record<string, string>;
  messageId?: string;
  notifyPath?: string;
}

function registration(r: Reg): Record<string, unknown> {
  return {
    'Message-Type': 'DPE_Registration_Request',
    'Message-ID': r.messageId ?? `m-${fresh()}`,
    ...(r.user ? { 'User-Identity': r.user } : {}),
    ...(r.device ? { 'Device-Identity': r.device } : {}),
    'Notify-URI': rx.url + (r.notifyPath ?? `/dev/${r.device ?? 'net'}`),
  };
}

async function register(dpe: DpeServer, r: Reg): Promise<string> {
  const res = await request(dpe.server)
    .post('/dpe-1')
    .set(r.headers ?? {})
    .send(registration(r))
    .expect(200);
  assert.equal(typeof res.body['Client-ID'], 'string');
  return res.body['Client-ID'] as string;
}

async function query(dpe: DpeServer, user: string, token = SP.token): Promise<unknown> {
  const res = await request(dpe.server)
    .post('/dpe-2')
    .set('authorization', `Bearer ${token}`)
    .send({ 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 42, 'Query-Key': user })
    .expect(200);
  assert.equal(res.body['Message-Type'], 'DPE_Client_ID_Response');
  assert.equal(res.body['Message-ID'], 42);
  return res.body['Client-ID'];
}

async function define(dpe: DpeServer, body: Record<string, unknown>): Promise<void> {
  await request(dpe.server).post('/dpe-2').set('authorization', `Bearer ${SP.token}`).send(body).expect(204);
}

function assertError(res: request.Response, status: number, code: string, ie: string | undefined, detail: RegExp): void {
  assert.equal(res.status, status, `HTTP status (body ${JSON.stringify(res.body)})`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.deepEqual(Object.keys(res.body), ['Error']);
  const e = res.body.Error as Record<string, unknown>;
  assert.equal(e.Code, code);
  assert.equal(e.IE, ie);
  assert.match(String(e.Detail), detail);
}

before(() => rx.start());
after(() => rx.stop());

describe('registration (8.1.1)', () => {
  let dpe: DpeServer;
  before(async () => (dpe = await startServer({ policy: 'per-user-and-device' })));
  after(() => dpe.close());

  it('answers 200 with a DPE_Registration_Response: echoed Message-ID and a Client-ID', async () => {
    const user = msisdn();
    const device = imei();
    const res = await request(dpe.server)
      .post('/dpe-1')
      .send(registration({ user, device, messageId: 'reg-xyz' }))
      .expect(200);
    assert.equal(res.body['Message-Type'], 'DPE_Registration_Response');
    assert.equal(res.body['Message-ID'], 'reg-xyz');
    assert.match(res.body['Client-ID'], /^dpe-/);
    assert.deepEqual(new MessageValidator().check(res.body, 'server-to-client').problems, []);
    assert.deepEqual(dpe.state.devices.get(device), {
      device,
      user,
      clientId: res.body['Client-ID'],
      notifyUri: `${rx.url}/dev/${device}`,
    });
    assert.deepEqual(await query(dpe, user), [res.body['Client-ID']]);
  });

  it('takes identities from the X-DPE-* headers when the IEs are absent', async () => {
    const user = msisdn();
    const device = imei();
    const id = await register(dpe, {
      notifyPath: `/dev/${device}`,
      headers: { 'X-DPE-User-Identity': user, 'X-DPE-Device-Identity': device },
    });
    assert.equal(dpe.state.devices.get(device)?.user, user);
    assert.deepEqual(await query(dpe, user), [id]);
  });

  it('prefers the IEs over the X-DPE-* headers', async () => {
    const [ieUser, headerUser, device] = [msisdn(), msisdn(), imei()];
    const id = await register(dpe, { user: ieUser, device, headers: { 'X-DPE-User-Identity': headerUser } });
    assert.deepEqual(await query(dpe, ieUser), [id]);
    assert.equal(await query(dpe, headerUser), null);
  });

  it('ignores the headers when network identity is switched off', async () => {
    const off = await startServer({ policy: 'per-user-and-device', networkIdentityHeaders: false });
    try {
      const before = snap(off.state);
      const res = await request(off.server)
        .post('/dpe-1')
        .set({ 'X-DPE-User-Identity': msisdn(), 'X-DPE-Device-Identity': imei() })
        .send(registration({ notifyPath: '/dev/off' }));
      assertError(
        res,
        400,
        'MISSING_IDENTITY',
        undefined,
        /DPE_Registration_Request: neither a user identity \(IE User-Identity\) nor a device identity \(IE Device-Identity\).*8\.1\.1/,
      );
      assert.deepEqual(snap(off.state), before);
      // the IE still works there
      const device = imei();
      await register(off, { user: msisdn(), device });
      assert.equal(off.state.devices.size, 1);
    } finally {
      await off.close();
    }
  });
});

describe('bad input is rejected with the error object and changes no state', () => {
  let dpe: DpeServer;
  let known: { user: string; device: string; clientId: string };
  before(async () => {
    dpe = await startServer({ policy: 'per-user-and-device' });
    const user = msisdn();
    const device = imei();
    known = { user, device, clientId: await register(dpe, { user, device }) };
    await dpe.settle();
  });
  after(() => dpe.close());

  const newcomer = { user: msisdn(), device: imei() };
  const valid = () => registration(newcomer);
  const without = (ie: string) => {
    const b = valid();
    delete b[ie];
    return b;
  };
  const cases: Array<{
    name: string;
    send: (a: request.Agent | ReturnType<typeof request>) => request.Test;
    status: number;
    code: string;
    ie?: string;
    detail: RegExp;
  }> = [
    {
      name: 'malformed JSON',
      send: (a) => a.post('/dpe-1').set('content-type', 'application/json').send('{"Message-Type": "DPE_Registration_Request",'),
      status: 400,
      code: 'MALFORMED_JSON',
      detail: /the body is not JSON/,
    },
    {
      name: 'a JSON array',
      send: (a) => a.post('/dpe-1').send([valid()]),
      status: 400,
      code: 'MALFORMED_JSON',
      detail: /must be a JSON object/,
    },
    {
      name: 'text/plain',
      send: (a) => a.post('/dpe-1').set('content-type', 'text/plain').send(JSON.stringify(valid())),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: /Content-Type must be application\/json, not "text\/plain"/,
    },
    {
      name: 'a body over the size limit',
      send: (a) => a.post('/dpe-1').send({ ...valid(), Padding: 'x'.repeat(70 * 1024) }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      detail: /exceeds the limit of 65536 bytes/,
    },
    {
      name: 'no Message-Type',
      send: (a) => a.post('/dpe-1').send(without('Message-Type')),
      status: 400,
      code: 'MISSING_IE',
      ie: 'Message-Type',
      detail: /^message: IE Message-Type is missing \(mandatory\) \(clause binding\)$/,
    },
    {
      name: 'no Message-ID',
      send: (a) => a.post('/dpe-1').send(without('Message-ID')),
      status: 400,
      code: 'MISSING_IE',
      ie: 'Message-ID',
      detail: /^DPE_Registration_Request: IE Message-ID is missing \(mandatory\) \(clause 8\.1\.1\)$/,
    },
    {
      name: 'no Notify-URI',
      send: (a) => a.post('/dpe-1').send(without('Notify-URI')),
      status: 400,
      code: 'MISSING_IE',
      ie: 'Notify-URI',
      detail: /^DPE_Registration_Request: IE Notify-URI is missing \(mandatory\) \(clause 8\.1\.1\)$/,
    },
    {
      name: 'a Notify-URI that is not an http URL',
      send: (a) => a.post('/dpe-1').send({ ...valid(), 'Notify-URI': 'mailto:someone' }),
      status: 400,
      code: 'INVALID_IE',
      ie: 'Notify-URI',
      detail: /DPE_Registration_Request: IE Notify-URI is not an http\(s\) URL/,
    },
    {
      name: 'a numeric Message-ID',
      send: (a) => a.post('/dpe-1').send({ ...valid(), 'Message-ID': 17 }),
      status: 400,
      code: 'INVALID_IE',
      ie: 'Message-ID',
      detail: /DPE_Registration_Request: IE Message-ID is 17, expected a non-empty string \(clause 8\.1\.1\)/,
    },
    {
      name: 'no identity at all',
      send: (a) => a.post('/dpe-1').send(registration({ notifyPath: '/dev/none' })),
      status: 400,
      code: 'MISSING_IDENTITY',
      detail: /neither a user identity \(IE User-Identity\) nor a device identity \(IE Device-Identity\).*clause 8\.1\.1/,
    },
    {
      name: 'an unknown message type',
      send: (a) => a.post('/dpe-1').send({ ...valid(), 'Message-Type': 'DPE_Teleport' }),
      status: 400,
      code: 'UNKNOWN_MESSAGE_TYPE',
      ie: 'Message-Type',
      detail: /^DPE_Teleport: IE Message-Type is "DPE_Teleport", not a message the binding sends client to server \(clause binding\)$/,
    },
    {
      name: 'an SP message on DPE-1',
      send: (a) => a.post('/dpe-1').send({ 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 'q', 'Query-Key': known.user }),
      status: 400,
      code: 'UNKNOWN_MESSAGE_TYPE',
      ie: 'Message-Type',
      detail: /DPE_Client_ID_Query/,
    },
    {
      name: 'a wrong endpoint',
      send: (a) => a.post('/dpe-3').send(valid()),
      status: 404,
      code: 'NOT_FOUND',
      detail: /no such endpoint: \/dpe-3/,
    },
    {
      name: 'a wrong method',
      send: (a) => a.get('/dpe-1'),
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      detail: /\/dpe-1 accepts POST only/,
    },
    {
      name: 'a DPE-2 message without a token',
      send: (a) => a.post('/dpe-2').send({ 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 1, 'Query-Key': known.user }),
      status: 401,
      code: 'UNAUTHORIZED',
      detail: /Authorization: Bearer/,
    },
    {
      name: 'a DPE-2 message with a wrong token',
      send: (a) =>
        a
          .post('/dpe-2')
          .set('authorization', 'Bearer not-a-token')
          .send({ 'Message-Type': 'DPE_Group_Set', 'Message-ID': 1, 'User-Identity': known.user, 'Group-ID': 'g', Properties: ['p'] }),
      status: 401,
      code: 'UNAUTHORIZED',
      detail: /onboarded SP/,
    },
    {
      name: 'a malformed DPE-2 body without a token (no parse error leaks)',
      send: (a) => a.post('/dpe-2').set('content-type', 'application/json').send('{oops'),
      status: 401,
      code: 'UNAUTHORIZED',
      detail: /Bearer/,
    },
    {
      name: 'a DPE-2 group with a string Message-ID',
      send: (a) =>
        a
          .post('/dpe-2')
          .set('authorization', `Bearer ${SP.token}`)
          .send({ 'Message-Type': 'DPE_Group_Set', 'Message-ID': '1', 'User-Identity': known.user, 'Group-ID': 'g', Properties: ['p'] }),
      status: 400,
      code: 'INVALID_IE',
      ie: 'Message-ID',
      detail: /DPE_Group_Set: IE Message-ID is "1", expected an integer \(clause binding\)/,
    },
  ];

  for (const c of cases) {
    it(`${c.name} -> ${c.status} ${c.code}`, async () => {
      const before = snap(dpe.state);
      const res = await c.send(request(dpe.server));
      assertError(res, c.status, c.code, c.ie, c.detail);
      await dpe.settle();
      assert.deepEqual(snap(dpe.state), before, 'server state changed');
      // and as an SP sees it
      assert.equal(await query(dpe, newcomer.user), null);
      assert.deepEqual(await query(dpe, known.user), [known.clientId]);
      assert.equal(dpe.state.devices.has(newcomer.device), false);
    });
  }
});

describe('Client ID policies (6.1)', () => {
  it('per-registration: a new Client ID on every registration', async () => {
    const dpe = await startServer({ policy: 'per-registration' });
    try {
      const r = { user: msisdn(), device: imei() };
      const ids = [await register(dpe, r), await register(dpe, r), await register(dpe, r)];
      assert.equal(new Set(ids).size, 3, `ids ${ids.join(', ')}`);
      assert.deepEqual(await query(dpe, r.user), [ids[2]]);
    } finally {
      await dpe.close();
    }
  });

  it('per-user-and-device: same id while nothing changes, a new one when user or device changes', async () => {
    const dpe = await startServer({ policy: 'per-user-and-device' });
    try {
      const [user, other, d1, d2] = [msisdn(), msisdn(), imei(), imei()];
      const a = await register(dpe, { user, device: d1 });
      assert.equal(await register(dpe, { user, device: d1 }), a, 'unchanged re-registration keeps the Client ID');
      const b = await register(dpe, { user: other, device: d1 });
      assert.notEqual(b, a, 'a new user on the device gets a new Client ID');
      const c = await register(dpe, { user, device: d2 });
      assert.ok(![a, b].includes(c), 'the user on a new device gets a new Client ID');
      assert.deepEqual(await query(dpe, user), [c]);
      assert.deepEqual(await query(dpe, other), [b]);
    } finally {
      await dpe.close();
    }
  });

  it('per-device: the device keeps its Client ID whoever uses it', async () => {
    const dpe = await startServer({ policy: 'per-device' });
    try {
      const [alice, bob, d1, d2] = [msisdn(), msisdn(), imei(), imei()];
      const a = await register(dpe, { user: alice, device: d1 });
      assert.equal(await register(dpe, { user: bob, device: d1 }), a);
      const b = await register(dpe, { user: alice, device: d2 });
      assert.notEqual(b, a);
      assert.equal(await register(dpe, { user: bob, device: d2 }), b);
      assert.deepEqual(await query(dpe, bob), [b]);
      // alice's SIM went to d2 and then bob took d2 over: alice has no device left
      assert.equal(await query(dpe, alice), null);
    } finally {
      await dpe.close();
    }
  });
});

describe('SIM move (tel:) versus multi-device user (sip:), binding', () => {
  let dpe: DpeServer;
  before(async () => (dpe = await startServer({ policy: 'per-user-and-device' })));
  after(() => dpe.close());

  it('a tel: user registering from another device moves there', async () => {
    const [user, d1, d2] = [msisdn(), imei(), imei()];
    await register(dpe, { user, device: d1 });
    const id2 = await register(dpe, { user, device: d2 });
    assert.deepEqual(await query(dpe, user), [id2]);
    assert.equal(dpe.state.devices.get(d1)?.user, null);
    assert.equal(dpe.state.devices.get(d1)?.clientId, null);
  });

  it('a sip: user registering from another device keeps both', async () => {
    const [user, d1, d2] = [sipUri(), imei(), imei()];
    const id1 = await register(dpe, { user, device: d1 });
    const id2 = await register(dpe, { user, device: d2 });
    assert.notEqual(id1, id2);
    assert.deepEqual(await query(dpe, user), [id1, id2]);
  });
});

describe('provisioning endpoints (binding, optional)', () => {
  let dpe: DpeServer;
  before(async () => (dpe = await startServer({ policy: 'per-user-and-device' })));
  after(() => dpe.close());

  it('onboards an SP (201) whose token then works on DPE-2', async () => {
    const token = 'fresh-token-0042';
    await request(dpe.server).post('/dpe-2').set('authorization', `Bearer ${token}`).send({}).expect(401);
    await request(dpe.server)
      .post('/provisioning/service-providers')
      .send({ 'SP-ID': 'sp-new', Token: token, 'Notify-URI': `${rx.url}/sp/new` })
      .expect(201);
    assert.equal(dpe.state.serviceProviders.get('sp-new')?.notifyUri, `${rx.url}/sp/new`);
    assert.equal(await query(dpe, msisdn(), token), null);
  });

  for (const [name, body, code, ie] of [
    ['no Token', { 'SP-ID': 'sp-x', 'Notify-URI': 'http://127.0.0.1:9/sp' }, 'MISSING_IE', 'Token'],
    ['an empty SP-ID', { 'SP-ID': '', Token: 'tok-12345678', 'Notify-URI': 'http://127.0.0.1:9/sp' }, 'INVALID_IE', 'SP-ID'],
    [
      'a Notify-URI that is not http',
      { 'SP-ID': 'sp-x', Token: 'tok-12345678', 'Notify-URI': 'ftp://127.0.0.1/sp' },
      'INVALID_IE',
      'Notify-URI',
    ],
    ['a token of another SP', { 'SP-ID': 'sp-x', Token: SP.token, 'Notify-URI': 'http://127.0.0.1:9/sp' }, 'INVALID_IE', 'Token'],
  ] as const) {
    it(`rejects an onboarding with ${name} (400 naming ${ie}) and changes nothing`, async () => {
      const before = snap(dpe.state);
      const res = await request(dpe.server).post('/provisioning/service-providers').send(body);
      assertError(res, 400, code, ie, new RegExp(`service provider onboarding.*: IE ${ie}`));
      assert.deepEqual(snap(dpe.state), before);
    });
  }

  it('triggers a registration of a known client (202): the client gets DPE_Registration_Trigger', async () => {
    const device = imei();
    const clientId = await register(dpe, { user: msisdn(), device });
    const path = `/dev/${device}`;
    await rx.waitFor(path, 2); // the releases of the first registration
    await request(dpe.server).post('/provisioning/registration-triggers').send({ 'Client-ID': clientId }).expect(202);
    const [trigger] = (await rx.waitFor(path, 3)).slice(2);
    assert.ok(trigger, 'a third message to the client');
    assert.equal(trigger.body['Message-Type'], 'DPE_Registration_Trigger');
    assert.equal(trigger.headers['dpe-client-id'], clientId);
    assert.deepEqual(clientValidator.check(trigger.body, 'server-to-client').problems, []);
  });

  it('answers 404 naming Client-ID for an unknown Client ID', async () => {
    const res = await request(dpe.server).post('/provisioning/registration-triggers').send({ 'Client-ID': 'dpe-nobody' });
    assertError(res, 404, 'NOT_FOUND', 'Client-ID', /no client holds Client ID dpe-nobody/);
  });

  it('answers 404 when the endpoints are switched off', async () => {
    const off = await startServer({ policy: 'per-device', provisioningEndpoint: false, serverDrivenRegistration: false });
    try {
      const res = await request(off.server).post('/provisioning/service-providers').send({});
      assertError(res, 404, 'NOT_FOUND', undefined, /no such endpoint/);
      const res2 = await request(off.server).post('/provisioning/registration-triggers').send({ 'Client-ID': 'x' });
      assertError(res2, 404, 'NOT_FOUND', undefined, /no such endpoint/);
    } finally {
      await off.close();
    }
  });
});

describe('device change (8.2.2) and Client ID report (8.2.3) on the wire', () => {
  let dpe: DpeServer;
  before(async () => (dpe = await startServer({ policy: 'per-user-and-device' })));
  after(() => dpe.close());

  it('a SIM move sends DPE_Group_Release "*" and DPE_Policy_Release "*" before the sets, to the new Client ID', async () => {
    const [user, dA, dB] = [msisdn(), imei(), imei()];
    const idA = await register(dpe, { user, device: dA });
    const first = await rx.waitFor(`/dev/${dA}`, 2);
    assert.deepEqual(
      first.map((m) => m.body['Message-Type']),
      ['DPE_Group_Release', 'DPE_Policy_Release'],
      'a new user on a new device is a device change with nothing to restore',
    );
    await define(dpe, {
      'Message-Type': 'DPE_Group_Set',
      'Message-ID': 1,
      'User-Identity': user,
      'Group-ID': 'g1',
      Properties: ['battery'],
    });
    await define(dpe, {
      'Message-Type': 'DPE_Property_Policy_Set',
      'Message-ID': 2,
      'User-Identity': user,
      'Policy-ID': 'p1',
      Property: 'cell',
      Policy: { Trigger: 'periodic', Period: 30 },
    });
    await define(dpe, {
      'Message-Type': 'DPE_Group_Policy_Set',
      'Message-ID': 3,
      'User-Identity': user,
      'Policy-ID': 'p2',
      'Group-ID': 'g1',
      Policy: { Trigger: 'on-change' },
    });
    // relayed to the user's current client
    const relayed = await rx.waitFor(`/dev/${dA}`, 5);
    assert.deepEqual(
      relayed.slice(2).map((m) => [m.body['Message-Type'], m.headers['dpe-client-id']]),
      [
        ['DPE_Group_Set', idA],
        ['DPE_Property_Policy_Set', idA],
        ['DPE_Group_Policy_Set', idA],
      ],
    );

    const idB = await register(dpe, { user, device: dB });
    assert.notEqual(idB, idA);
    const atB = await rx.waitFor(`/dev/${dB}`, 5);
    assert.deepEqual(
      atB.map((m) => m.body['Message-Type']),
      ['DPE_Group_Release', 'DPE_Policy_Release', 'DPE_Group_Set', 'DPE_Property_Policy_Set', 'DPE_Group_Policy_Set'],
    );
    const [groupRelease, policyRelease, groupSet, propertyPolicySet, groupPolicySet] = atB;
    assert.ok(groupRelease && policyRelease && groupSet && propertyPolicySet && groupPolicySet);
    assert.equal(groupRelease.body.Group_ID, '*');
    assert.equal(policyRelease.body['Policy-ID'], '*');
    assert.deepEqual(groupSet.body.Properties, ['battery']);
    assert.deepEqual(propertyPolicySet.body.Policy, { Trigger: 'periodic', Period: 30 });
    assert.equal(groupPolicySet.body['Group-ID'], 'g1');
    for (const m of atB) {
      assert.equal(m.headers['dpe-client-id'], idB, `${String(m.body['Message-Type'])}: DPE-Client-ID header`);
      assert.match(String(m.headers['content-type']), /^application\/json/);
      assert.deepEqual(clientValidator.check(m.body, 'server-to-client').problems, []);
    }
    assert.equal(new Set(atB.map((m) => m.body['Message-ID'])).size, 5, 'Message-IDs are unique');

    // 8.2.3: the concerned SP learns that idB replaced idA
    const aboutUser = (r: Received) =>
      r.path === SP.path && Array.isArray(r.body['User-Identity']) && r.body['User-Identity'].includes(user);
    const [last] = await rx.waitMatch(aboutUser, 1, `about ${user} at ${SP.path}`);
    assert.ok(last, `a report about ${user}`);
    assert.equal(rx.got.filter(aboutUser).length, 1, 'one report: the SP became concerned after the first registration');
    assert.deepEqual(clientValidator.check(last.body, 'server-to-sp').problems, []);
    assert.deepEqual(
      { u: last.body['User-Identity'], c: last.body['Client-ID'], r: last.body['Replaces-Client-ID'] },
      { u: [user], c: [idB], r: [idA] },
    );
  });

  it('an unchanged re-registration is not a device change: nothing is sent to the client', async () => {
    const [user, d] = [msisdn(), imei()];
    await register(dpe, { user, device: d });
    await rx.waitFor(`/dev/${d}`, 2);
    await register(dpe, { user, device: d });
    await dpe.settle();
    assert.equal(rx.at(`/dev/${d}`).length, 2);
  });
});
