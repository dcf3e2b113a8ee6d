/**
 * Generated bad input (fast-check): at least 600 defective requests over every inbound message
 * of the catalog and every IE, plus the test hooks. Each must be answered 4xx with the binding's
 * error object naming the expected Code (and IE), and leave the server as it was, observed
 * through the binding only: query answers of known users and the messages a loopback sink
 * (their devices and SPs) receives.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IeDef } from '../../src/catalog/messages';
import { MESSAGES } from '../../src/catalog/messages';
import type { DpeServer } from '../../src/server/app';
import type { Answer } from './support/probe';
import { Sink, fresh, groupSet, imei, msisdn, post, query, registration, startDpe } from './support/probe';

const SP_A = { spId: 'sp-a', token: 'sp-a-token-0001' };
const SP_B = { spId: 'sp-b', token: 'sp-b-token-0002' };
const SP_C = { spId: 'sp-c', token: 'sp-c-token-0003' };
const ADMIN = 'admin-token-000000000001';
const MAX_BODY = 4096;
const RUNS = 640;

interface Case {
  kind: string;
  message: string;
  ie?: string;
  path: string;
  raw: Buffer;
  contentType?: string;
  token?: string;
  status: number | 'any-4xx';
  codes: string[];
  expectIe?: string;
}

const RAW_MARK = '__raw_value__';
const HUGE = ['1e400', '-1e400', '9007199254740993', '-9007199254740993', '1e300', '123456789012345678901234567890'];

const json = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8');
const withRaw = (body: Record<string, unknown>, ie: string, raw: string) =>
  Buffer.from(JSON.stringify({ ...body, [ie]: RAW_MARK }).replace(`"${RAW_MARK}"`, raw), 'utf8');
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const anyJson = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const obj = fc.dictionary(fc.string({ maxLength: 5 }), anyJson, { maxKeys: 3 });
const nonInteger = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x));
const WRONG: Record<IeDef['type'], fc.Arbitrary<unknown>> = {
  String: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), obj, nonInteger),
  Integer: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    obj,
    nonInteger,
  ),
  Bag: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    obj,
    fc.array(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), obj), { minLength: 1, maxLength: 3 }),
  ),
  Policy: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.record({ Trigger: fc.string({ maxLength: 10 }).filter((s) => s !== 'on-change' && s !== 'periodic') }),
    fc.constant({ Trigger: 'periodic' }),
    fc.record({ Trigger: fc.constant('periodic'), Period: fc.oneof(fc.integer({ max: 0 }), fc.string({ maxLength: 4 }), nonInteger) }),
  ),
};
const KNOWN_TYPES = new Set(MESSAGES.map((m) => m.type));

describe('generated bad input changes nothing (fast-check, every inbound message and IE)', { timeout: 120_000 }, () => {
  const sink = new Sink();
  let dpe: DpeServer;
  let url: string;
  const userA = msisdn();
  const userB = `sip:b${fresh()}@example.invalid`;
  const devA = imei();
  let clientA = '';
  const covered = new Set<string>();

  /** What the binding shows of the server: query answers, whether SP C exists, and the sink's count. */
  async function observe(): Promise<unknown> {
    const a = await post(url, '/dpe-2', query(userA), { token: SP_A.token });
    const b = await post(url, '/dpe-2', query(userB), { token: SP_A.token });
    const c = await post(url, '/dpe-2', query(userB), { token: SP_C.token });
    await dpe.settle();
    return { a: a.body?.['Client-ID'], b: b.body?.['Client-ID'], c: c.status, received: sink.received.length };
  }

  before(async () => {
    await sink.start();
    ({ dpe, url } = await startDpe({
      policy: 'per-user-and-device',
      serviceProviders: [
        { ...SP_A, notifyUri: `${sink.url}/sp/a` },
        { ...SP_B, notifyUri: `${sink.url}/sp/b` },
      ],
      adminToken: ADMIN,
      maxBodyBytes: MAX_BODY,
      delivery: { retryBackoffMs: 5, horizonMs: 2_000 },
    }));
    await post(url, '/dpe-2', query(userA), { token: SP_A.token });
    const r = await post(url, '/dpe-1', registration(userA, devA, `${sink.url}/dev/a`));
    clientA = r.body?.['Client-ID'] as string;
    await post(url, '/dpe-1', registration(userB, imei(), `${sink.url}/dev/b`));
    assert.equal((await post(url, '/dpe-2', groupSet(userA, 'g1'), { token: SP_A.token })).status, 204);
    const pp = {
      'Message-Type': 'DPE_Property_Policy_Set',
      'Message-ID': 8,
      'User-Identity': userA,
      'Policy-ID': 'p1',
      Property: 'battery',
      Policy: { Trigger: 'on-change' },
    };
    assert.equal((await post(url, '/dpe-2', pp, { token: SP_A.token })).status, 204);
    await dpe.settle();
  });
  after(async () => {
    await dpe.close();
    await sink.stop();
  });

  /** A valid request of each inbound message (it would change what observe() shows) and the path it goes to. */
  function valid(): Record<
    string,
    { path: string; token?: string; body: Record<string, unknown>; ies: ReadonlyArray<Pick<IeDef, 'name' | 'type' | 'required'>> }
  > {
    const out: ReturnType<typeof valid> = {};
    const bodies: Record<string, Record<string, unknown>> = {
      DPE_Registration_Request: registration(userA, `35999${fresh()}`, `${sink.url}/dev/x`),
      DPE_Client_ID_Query: query(userA, 5),
      'DPE_Group_Set@DPE-2': groupSet(userA, 'g-new'),
      'DPE_Property_Policy_Set@DPE-2': {
        'Message-Type': 'DPE_Property_Policy_Set',
        'Message-ID': 9,
        'User-Identity': userA,
        'Policy-ID': 'p-new',
        Property: 'cell',
        Policy: { Trigger: 'periodic', Period: 60 },
      },
      'DPE_Group_Policy_Set@DPE-2': {
        'Message-Type': 'DPE_Group_Policy_Set',
        'Message-ID': 10,
        'User-Identity': userA,
        'Policy-ID': 'p-new2',
        'Group-ID': 'g1',
        Policy: { Trigger: 'on-change' },
      },
    };
    for (const def of MESSAGES.filter((m) => m.direction === 'client-to-server' || m.direction === 'sp-to-server')) {
      const body = bodies[def.key];
      assert.ok(body, `the generator knows no valid ${def.key}: add it (every inbound message is probed)`);
      out[def.key] = {
        path: def.interface === 'DPE-1' ? '/dpe-1' : '/dpe-2',
        token: def.interface === 'DPE-2' ? SP_B.token : undefined,
        body,
        ies: def.ies,
      };
    }
    out.onboarding = {
      path: '/provisioning/service-providers',
      token: ADMIN,
      body: { 'SP-ID': SP_C.spId, Token: SP_C.token, 'Notify-URI': `${sink.url}/sp/c` },
      ies: ['SP-ID', 'Token', 'Notify-URI'].map((name) => ({ name, type: 'String' as const, required: true })),
    };
    out['registration trigger'] = {
      path: '/provisioning/registration-triggers',
      token: ADMIN,
      body: { 'Client-ID': clientA },
      ies: [{ name: 'Client-ID', type: 'String', required: true }],
    };
    return out;
  }

  function cases(): fc.Arbitrary<Case> {
    const v = valid();
    const arbs: Array<fc.Arbitrary<Case>> = [];
    for (const [message, m] of Object.entries(v)) {
      const base = { message, path: m.path, token: m.token };
      const isHook = m.path.startsWith('/provisioning/');
      const invalidIe = isHook ? ['INVALID_IE'] : ['INVALID_IE'];
      for (const ie of m.ies) {
        if (!(ie.name in m.body)) continue;
        const typeFault = ie.name === 'Message-Type' ? ['UNKNOWN_MESSAGE_TYPE', 'INVALID_IE'] : invalidIe;
        if (ie.required) {
          const { [ie.name]: _drop, ...rest } = m.body;
          arbs.push(
            fc.constant({ ...base, kind: 'drop', ie: ie.name, raw: json(rest), status: 400, codes: ['MISSING_IE'], expectIe: ie.name }),
          );
        }
        arbs.push(
          WRONG[ie.type].map((x) => ({
            ...base,
            kind: 'wrong-type',
            ie: ie.name,
            raw: json({ ...m.body, [ie.name]: x }),
            status: 400,
            codes: typeFault,
            expectIe: ie.name,
          })),
        );
        arbs.push(
          fc.integer({ min: 9, max: 1500 }).map((d) => ({
            ...base,
            kind: 'deep',
            ie: ie.name,
            raw: withRaw(m.body, ie.name, nested(d)),
            status: 400,
            codes: ['INVALID_IE'],
            expectIe: ie.name,
          })),
        );
        arbs.push(
          fc.constantFrom(...HUGE).map((n) => ({
            ...base,
            kind: 'huge-number',
            ie: ie.name,
            raw: withRaw(m.body, ie.name, n),
            status: 400,
            codes: ['INVALID_IE'],
            expectIe: ie.name,
          })),
        );
        if (ie.type === 'String' && typeof m.body[ie.name] === 'string') {
          arbs.push(
            fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80]).map((bytes) => {
              const text = JSON.stringify({ ...m.body, [ie.name]: RAW_MARK });
              const [head, tail] = text.split(RAW_MARK);
              assert.ok(head !== undefined && tail !== undefined, `${RAW_MARK} in ${text}`);
              const raw = Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]);
              return { ...base, kind: 'bad-utf8', ie: ie.name, raw, status: 400, codes: ['MALFORMED_JSON'] };
            }),
          );
          if (isHook)
            arbs.push(
              fc.constant({
                ...base,
                kind: 'empty',
                ie: ie.name,
                raw: json({ ...m.body, [ie.name]: '' }),
                status: 400,
                codes: ['INVALID_IE'],
                expectIe: ie.name,
              }),
            );
        }
      }
      // one identity is enough (E17 strict); a registration with neither is rejected (reg.no-identity-rejected)
      if ('Device-Identity' in m.body) {
        const { 'User-Identity': _user, 'Device-Identity': _device, ...rest } = m.body;
        arbs.push(
          fc.constant({
            ...base,
            kind: 'drop',
            ie: 'User-Identity, Device-Identity',
            raw: json(rest),
            status: 400,
            codes: ['MISSING_IDENTITY'],
          }),
        );
      }
      const text = JSON.stringify(m.body);
      arbs.push(
        fc
          .integer({ min: 1, max: text.length - 1 })
          .map((n) => ({ ...base, kind: 'not-json', raw: Buffer.from(text.slice(0, n)), status: 400, codes: ['MALFORMED_JSON'] })),
      );
      arbs.push(
        fc
          .oneof(fc.array(anyJson), fc.string(), fc.integer(), fc.constant(null))
          .map((x) => ({ ...base, kind: 'not-object', raw: json(x), status: 400, codes: ['MALFORMED_JSON'] })),
      );
      arbs.push(
        fc
          .constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/jsonx')
          .map((ct) => ({
            ...base,
            kind: 'content-type',
            raw: json(m.body),
            contentType: ct,
            status: 415,
            codes: ['UNSUPPORTED_MEDIA_TYPE'],
          })),
      );
      arbs.push(
        fc.integer({ min: MAX_BODY, max: 4 * MAX_BODY }).map((n) => ({
          ...base,
          kind: 'too-large',
          raw: json({ ...m.body, Padding: 'x'.repeat(n) }),
          status: 413,
          codes: ['PAYLOAD_TOO_LARGE'],
        })),
      );
      if (m.token) {
        arbs.push(
          fc
            .constantFrom(undefined, 'x', 'wrong-token-0000', `${m.token}x`)
            .map((t) => ({ ...base, kind: 'bad-credential', token: t, raw: json(m.body), status: 401, codes: ['UNAUTHORIZED'] })),
        );
      }
      if (!isHook) {
        arbs.push(
          fc
            .string({ minLength: 1, maxLength: 30 })
            .filter((s) => !KNOWN_TYPES.has(s))
            .map((t) => ({
              ...base,
              kind: 'unknown-type',
              ie: 'Message-Type',
              raw: json({ ...m.body, 'Message-Type': t }),
              status: 400,
              codes: ['UNKNOWN_MESSAGE_TYPE'],
              expectIe: 'Message-Type',
            })),
        );
      }
      if ('Notify-URI' in m.body) {
        arbs.push(
          fc
            .constantFrom(
              'http://10.0.0.7/n',
              'http://example.invalid/n',
              'http://169.254.169.254/latest',
              'ftp://127.0.0.1/n',
              'javascript:alert(1)',
              'http://[fe80::1]/n',
              'not a url',
            )
            .map((u) => ({
              ...base,
              kind: 'notify-policy',
              ie: 'Notify-URI',
              raw: json({ ...m.body, 'Notify-URI': u }),
              status: 400,
              codes: ['INVALID_IE'],
              expectIe: 'Notify-URI',
            })),
        );
      }
    }
    // security rejections of otherwise well-formed messages
    const conflict = (body: Record<string, unknown>, ie: string): Case => ({
      kind: 'sp-isolation',
      message: String(body['Message-Type']),
      ie,
      path: '/dpe-2',
      token: SP_B.token,
      raw: json(body),
      status: 409,
      codes: ['CONFLICT'],
      expectIe: ie,
    });
    arbs.push(fc.constant(conflict(groupSet(userA, 'g1', ['other']), 'Group-ID')));
    arbs.push(
      fc.constant(
        conflict(
          {
            'Message-Type': 'DPE_Property_Policy_Set',
            'Message-ID': 3,
            'User-Identity': userA,
            'Policy-ID': 'p1',
            Property: 'x',
            Policy: { Trigger: 'on-change' },
          },
          'Policy-ID',
        ),
      ),
    );
    arbs.push(
      fc.constant(
        conflict(
          {
            'Message-Type': 'DPE_Group_Policy_Set',
            'Message-ID': 3,
            'User-Identity': userA,
            'Policy-ID': 'p-b',
            'Group-ID': 'g1',
            Policy: { Trigger: 'on-change' },
          },
          'Group-ID',
        ),
      ),
    );
    const hook = (
      kind: string,
      path: string,
      body: Record<string, unknown>,
      status: number,
      code: string,
      ie?: string,
    ): fc.Arbitrary<Case> =>
      fc.constant({ kind, message: path, ie, path, token: ADMIN, raw: json(body), status, codes: [code], expectIe: ie });
    arbs.push(
      fc.string({ minLength: 1, maxLength: 11 }).map((t) => ({
        kind: 'short-token',
        message: 'onboarding',
        ie: 'Token',
        path: '/provisioning/service-providers',
        token: ADMIN,
        raw: json({ 'SP-ID': 'sp-d', Token: t, 'Notify-URI': `${sink.url}/sp/d` }),
        status: 400,
        codes: ['INVALID_IE'],
        expectIe: 'Token',
      })),
    );
    arbs.push(
      hook(
        're-onboard-without-token',
        '/provisioning/service-providers',
        { 'SP-ID': SP_A.spId, Token: 'a-new-token-of-mine', 'Notify-URI': `${sink.url}/evil` },
        403,
        'FORBIDDEN',
        'Token',
      ),
    );
    arbs.push(
      hook(
        're-onboard-wrong-current',
        '/provisioning/service-providers',
        { 'SP-ID': SP_A.spId, Token: 'a-new-token-of-mine', 'Current-Token': 'guessed-token-000', 'Notify-URI': `${sink.url}/evil` },
        403,
        'FORBIDDEN',
        'Current-Token',
      ),
    );
    arbs.push(
      hook(
        'token-of-another-sp',
        '/provisioning/service-providers',
        { 'SP-ID': 'sp-e', Token: SP_B.token, 'Notify-URI': `${sink.url}/sp/e` },
        400,
        'INVALID_IE',
        'Token',
      ),
    );
    arbs.push(
      fc
        .string({ minLength: 1, maxLength: 40 })
        .filter((s) => s !== clientA)
        .map((id) => ({
          kind: 'unknown-client',
          message: 'registration trigger',
          ie: 'Client-ID',
          path: '/provisioning/registration-triggers',
          token: ADMIN,
          raw: json({ 'Client-ID': id }),
          status: 404,
          codes: ['NOT_FOUND'],
          expectIe: 'Client-ID',
        })),
    );
    // counterexamples print as one line (kind, message, IE, the start of the body), not as a byte dump
    return fc
      .oneof(...arbs)
      .map((c) =>
        Object.assign(c, { [fc.toStringMethod]: () => `${c.kind} ${c.message} ${c.ie ?? ''}: ${c.raw.toString('latin1').slice(0, 160)}` }),
      );
  }

  it(`${RUNS} generated defective requests: each 4xx with the expected Code and IE, none changes state or sends a message`, async () => {
    const baseline = await observe();
    assert.deepEqual(await observe(), baseline, 'observation itself changes nothing');
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(cases(), async (c) => {
        covered.add(`${c.message}|${c.ie ?? '-'}|${c.kind}`);
        const a: Answer = await post(url, c.path, undefined, { raw: c.raw, contentType: c.contentType, token: c.token });
        const where = `${c.kind} of ${c.message}${c.ie ? ` IE ${c.ie}` : ''}`;
        assert.equal(a.status, c.status, `${where}: status ${a.status} ${JSON.stringify(a.body)}`);
        const err = a.body?.Error as { Code: string; IE?: string; Detail: string } | undefined;
        assert.ok(err && c.codes.includes(err.Code), `${where}: Error ${JSON.stringify(a.body)} (expected ${c.codes.join(' or ')})`);
        if (c.expectIe) assert.equal(err.IE, c.expectIe, `${where}: the error names IE ${err.IE}: ${err.Detail}`);
        assert.deepEqual(await observe(), baseline, `${where}: the server's observable state changed`);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    const messages = new Set([...covered].map((k) => k.split('|')[0]));
    for (const m of Object.keys(valid())) assert.ok(messages.has(m), `no case probed ${m}`);
    for (const [m, def] of Object.entries(valid())) {
      for (const ie of def.ies.filter((i) => i.name in def.body)) {
        assert.ok(
          [...covered].some((k) => k.startsWith(`${m}|${ie.name}|`)),
          `no case probed IE ${ie.name} of ${m}`,
        );
      }
    }
    // the oracle sees a change: the same kind of request, valid, changes what observe() shows
    assert.equal((await post(url, '/dpe-2', groupSet(userA, 'g-oracle'), { token: SP_A.token })).status, 204);
    assert.notDeepEqual(await observe(), baseline, 'a valid group set is seen by the observation (relayed to the device)');
    console.log(`# bad input: ${RUNS} cases, ${covered.size} distinct (message, IE, defect) kinds, ${Date.now() - started} ms`);
  });
});
