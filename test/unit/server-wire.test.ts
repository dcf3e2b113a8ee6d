/**
 * The reference DPE Server through its HTTP app (supertest): the optional provisioning endpoints,
 * and a device change (8.2.2) and Client ID report (8.2.3) as they go out on the wire to a real
 * loopback receiver; waits for them are event-driven with a deadline.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { DpeServer } from '../../src/server/app';
import type { Received } from './support/reference-server';
import { rx, SP, clientValidator, msisdn, imei, snap, startServer, register, query, define, assertError } from './support/reference-server';

before(() => rx.start());
after(() => rx.stop());

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
