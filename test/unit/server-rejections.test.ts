/**
 * The reference DPE Server through its HTTP app (supertest): bad input is rejected with the
 * binding's error object, and changes no state.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { DpeServer } from '../../src/server/app';
import { rx, SP, msisdn, imei, snap, startServer, registration, register, query, assertError } from './support/reference-server';

before(() => rx.start());
after(() => rx.stop());

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
