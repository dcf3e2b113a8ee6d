/**
 * The registration procedure (src/server/procedures/registration.ts) classifies each
 * registration as one 8.2.2 use case, and which Client ID outlives its user is the policy's
 * decision (src/server/client-id-policy.ts), not the classification's.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ClientIdPolicy } from '../../src/config/ics';
import { ASSIGNERS, keepsClientIdWithoutUser } from '../../src/server/client-id-policy';
import type { UseCase } from '../../src/server/procedures/registration';
import { register } from '../../src/server/procedures/registration';
import { ServerState } from '../../src/server/state';

function server(policy: ClientIdPolicy = 'per-user-and-device') {
  const state = new ServerState();
  let n = 0;
  const reg = (user: string | null, device: string) =>
    register(state, { user, device }, `http://127.0.0.1:9/${device}`, ASSIGNERS[policy], () => `id-${++n}`);
  return { state, reg };
}

describe('registration procedure: 8.2.2 use cases', () => {
  it('tells each use case apart (dc.usecase.*), and only "unchanged" is no device change', () => {
    const { reg } = server();
    const cases: Array<[string | null, string, UseCase]> = [
      ['tel:+1', 'D1', 'dc.usecase.new-user-new-device'],
      ['tel:+1', 'D1', 'unchanged'],
      ['tel:+1', 'D2', 'dc.usecase.sim-move'],
      ['tel:+2', 'D2', 'dc.usecase.identity-change-same-device'],
      ['sip:a@x', 'D3', 'dc.usecase.new-user-new-device'],
      ['sip:a@x', 'D4', 'dc.usecase.multi-device-new-device'],
      [null, 'D5', 'dc.usecase.new-user-new-device'],
      ['sip:b@x', 'D5', 'dc.usecase.identity-change-same-device'],
    ];
    for (const [user, device, expected] of cases) {
      const out = reg(user, device);
      assert.equal(out.useCase, expected, `${user ?? '(no user)'} on ${device}`);
      assert.equal(out.deviceChange, expected !== 'unchanged', `${user ?? '(no user)'} on ${device}: deviceChange`);
    }
  });

  it('a SIM move ends the association with the device it left; a SIP user keeps earlier devices (dc.multi-device.keeps-earlier)', () => {
    const { state, reg } = server();
    reg('tel:+1', 'D1');
    reg('tel:+1', 'D2');
    assert.deepEqual(state.devicesOf('tel:+1'), ['D2']);
    assert.equal(state.device('D1')?.user, null);
    assert.equal(state.device('D1')?.clientId, null, 'per-user-and-device: the Client ID ends with the association');
    reg('sip:a@x', 'D3');
    reg('sip:a@x', 'D4');
    assert.deepEqual(state.devicesOf('sip:a@x').sort(), ['D3', 'D4']);
  });

  it('a SIM arriving on a device another user had is both: the device loses its user, the SIM leaves its old device', () => {
    const { state, reg } = server();
    reg('tel:+1', 'D1');
    reg('tel:+2', 'D2');
    assert.equal(reg('tel:+1', 'D2').useCase, 'dc.usecase.identity-change-same-device');
    assert.deepEqual(state.devicesOf('tel:+2'), []);
    assert.deepEqual(state.devicesOf('tel:+1'), ['D2']);
    assert.equal(state.device('D1')?.user, null);
  });

  it('only the per-device policy keeps a Client ID on the device a SIM left (keepsClientIdWithoutUser)', () => {
    const { state, reg } = server('per-device');
    const first = reg('tel:+1', 'D1').clientId;
    assert.ok(keepsClientIdWithoutUser(state, 'D1', first));
    reg('tel:+1', 'D2');
    assert.equal(state.device('D1')?.user, null);
    assert.equal(state.device('D1')?.clientId, first, 'per-device: the device keeps its Client ID');
    assert.ok(!keepsClientIdWithoutUser(state, 'D1', 'some-other-id'));
  });
});
