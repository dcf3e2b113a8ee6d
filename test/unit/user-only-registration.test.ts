/**
 * One identity is enough (8.1.1; erratum E17 read strictly; binding: only a registration naming
 * neither identity is rejected): a registration with a user identity and no device identity goes
 * the way a device-only one does, placed on the user's current device (src/server/identity.ts
 * placeDevice), so a missing device identity is never taken for a new device.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { Received } from '../../src/catalog/protocol';
import type { DpeServer } from '../../src/server/app';
import { buildServer } from '../../src/server/app';
import type { Delivery } from '../../src/server/delivery-types';
import { DpeError } from '../../src/server/errors';
import { placeDevice, resolveIdentities, USER_ONLY_DEVICE } from '../../src/server/identity';
import { ServerState } from '../../src/server/state';

let seq = 0;
const fresh = () => `${process.pid}${String(++seq).padStart(4, '0')}`;
const msisdn = () => `tel:+1666${fresh()}`;
const sipUri = () => `sip:solo${fresh()}@example.invalid`;
const imei = () => `36${fresh()}`.padEnd(15, '0');
const NOTIFY = 'http://127.0.0.1:9/dev/';

type Body = Received<'DPE_Registration_Request'>;
const resolve = (body: Record<string, unknown>, headers: Record<string, string> = {}, networkIdentityHeaders = true) =>
  resolveIdentities(body as Body, headers, { networkIdentityHeaders });

describe('resolveIdentities: one identity is enough, neither is rejected (reg.single-identity-accepted, reg.no-identity-rejected)', () => {
  it('a user identity alone, from the IE or the network, is named with no device', () => {
    assert.deepEqual(resolve({ 'User-Identity': 'tel:+1' }), { user: 'tel:+1', device: null });
    assert.deepEqual(resolve({}, { 'x-dpe-user-identity': 'sip:a@x' }), { user: 'sip:a@x', device: null });
    assert.deepEqual(resolve({ 'Device-Identity': 'D1' }), { user: null, device: 'D1' });
    assert.deepEqual(resolve({ 'User-Identity': 'tel:+1', 'Device-Identity': 'D1' }), { user: 'tel:+1', device: 'D1' });
  });

  it('neither identity: MISSING_IDENTITY naming both IEs and the clause', () => {
    for (const [body, headers, net] of [
      [{}, {}, true],
      [{}, { 'x-dpe-user-identity': 'tel:+1' }, false],
      [{ 'User-Identity': 42 }, { 'x-dpe-device-identity': '  ' }, true],
    ] as const) {
      assert.throws(
        () => resolve(body, headers, net),
        (e: unknown) =>
          e instanceof DpeError &&
          e.code === 'MISSING_IDENTITY' &&
          /User-Identity/.test(e.message) &&
          /Device-Identity/.test(e.message) &&
          /clause 8\.1\.1/.test(e.message),
      );
    }
  });
});

describe('placeDevice: the device a user-only registration comes from', () => {
  it('a named device is kept as it is', () => {
    const state = new ServerState();
    assert.deepEqual(placeDevice(state, { user: null, device: 'D1' }, undefined), { user: null, device: 'D1' });
    assert.deepEqual(placeDevice(state, { user: 'tel:+1', device: 'D1' }, 'x'), { user: 'tel:+1', device: 'D1' });
  });

  it('a user on no device gets a device of its own, a fresh one each time, never a name a client gave', () => {
    const state = new ServerState();
    const a = placeDevice(state, { user: 'tel:+1', device: null }, undefined);
    const b = placeDevice(state, { user: 'tel:+2', device: null }, undefined);
    assert.equal(a.user, 'tel:+1');
    assert.ok(a.device.startsWith(USER_ONLY_DEVICE), a.device);
    assert.notEqual(a.device, b.device);
  });

  it("a known user: the device holding the presented Client ID if it is the user's, else the last one", () => {
    const state = new ServerState();
    const user = 'sip:a@x';
    for (const [device, clientId] of [
      ['D1', 'id-1'],
      ['D2', 'id-2'],
    ]) {
      state.putDevice({ device: device!, user, clientId: clientId!, notifyUri: NOTIFY });
      state.link(user, device!);
    }
    state.putDevice({ device: 'D3', user: 'sip:b@x', clientId: 'id-3', notifyUri: NOTIFY });
    state.link('sip:b@x', 'D3');
    const place = (cid: unknown) => placeDevice(state, { user, device: null }, cid).device;
    assert.equal(place('id-1'), 'D1');
    assert.equal(place(undefined), 'D2');
    assert.equal(place('id-3'), 'D2', "another user's Client ID does not place the registration on that user's device");
    assert.equal(place('id-unknown'), 'D2');
  });
});

describe('a user-only registration through the server (8.1.1, E17 strict)', () => {
  let dpe: DpeServer;
  const sent: Delivery[] = [];
  before(() => {
    dpe = buildServer({ policy: 'per-user-and-device', seams: { deliver: (d) => void sent.push(d) } });
  });
  after(() => dpe.close());

  const post = (body: Record<string, unknown>) =>
    request(dpe.server)
      .post('/dpe-1')
      .send({ 'Message-Type': 'DPE_Registration_Request', 'Message-ID': `m-${fresh()}`, 'Notify-URI': `${NOTIFY}${fresh()}`, ...body });
  const releasesTo = (uri: string) => sent.filter((d) => d.url === uri && /Release/.test(String(d.body['Message-Type']))).length;

  it('is answered with a Client ID, which the server retains for the user, like a device-only one', async () => {
    const user = msisdn();
    const res = await post({ 'User-Identity': user }).expect(200);
    assert.equal(res.body['Message-Type'], 'DPE_Registration_Response');
    const cid = res.body['Client-ID'] as string;
    assert.match(cid, /^dpe-/);
    assert.deepEqual(dpe.state.clientIdsOf(user), [cid]);
    const device = dpe.state.deviceByClientId(cid);
    assert.equal(device?.user, user);
    const alone = await post({ 'Device-Identity': imei() }).expect(200);
    assert.equal(typeof alone.body['Client-ID'], 'string');
  });

  it('registering again without the device identity is no device change: same device, same Client ID, no release', async () => {
    const user = sipUri();
    const notify = `${NOTIFY}${fresh()}`;
    const first = (await post({ 'User-Identity': user, 'Notify-URI': notify }).expect(200)).body['Client-ID'] as string;
    await dpe.settle();
    const released = releasesTo(notify);
    assert.ok(released > 0, 'the first registration of a new user is a device change (E24 strict): releases are seen here');
    const again = await post({ 'User-Identity': user, 'Client-ID': first, 'Notify-URI': notify }).expect(200);
    await dpe.settle();
    assert.equal(again.body['Client-ID'], first);
    assert.equal(releasesTo(notify), released);
    assert.equal(dpe.state.devicesOf(user).length, 1);
  });

  it('a phone registered with both identities that leaves its device identity out stays that phone', async () => {
    const [user, device] = [msisdn(), imei()];
    const notify = `${NOTIFY}${fresh()}`;
    const cid = (await post({ 'User-Identity': user, 'Device-Identity': device, 'Notify-URI': notify }).expect(200)).body[
      'Client-ID'
    ] as string;
    await dpe.settle();
    const released = releasesTo(notify);
    assert.ok(released > 0, 'the first registration of a new user is a device change (E24 strict): releases are seen here');
    const again = await post({ 'User-Identity': user, 'Notify-URI': notify }).expect(200);
    await dpe.settle();
    assert.equal(again.body['Client-ID'], cid);
    assert.deepEqual(dpe.state.devicesOf(user), [device]);
    assert.equal(releasesTo(notify), released);
  });

  it('neither identity is rejected with MISSING_IDENTITY and changes nothing', async () => {
    const before = dpe.state.devices.size;
    const res = await post({}).expect(400);
    assert.equal(res.body.Error.Code, 'MISSING_IDENTITY');
    assert.match(res.body.Error.Detail, /User-Identity.*Device-Identity.*clause 8\.1\.1/);
    assert.equal(dpe.state.devices.size, before);
  });
});
