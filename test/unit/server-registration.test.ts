/**
 * The reference DPE Server through its HTTP app (supertest): registration and identities (8.1.1),
 * the three Client ID policies (6.1), and a SIM move told from a multi-device user (binding).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { DpeServer } from '../../src/server/app';
import { MessageValidator } from '../../src/catalog/validate';
import { rx, msisdn, sipUri, imei, snap, startServer, registration, register, query, assertError } from './support/reference-server';

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
