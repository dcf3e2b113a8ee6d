/**
 * A set on its way to a device when its SIM left it (src/harness/areas/device-outcome.ts
 * trailingSets): excused within one delivery deadline when the device's last registration still
 * owed it or let the server add it (E31 lenient), never when it repeats what the device already
 * had — so a server that sends the user's settings to the device the SIM left stays caught.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { settingOf } from '../../mocks/dpe-state';
import type { Setting } from '../../mocks/dpe-state';
import type { DeviceExpectation } from '../../src/harness/device-expectation';
import { left } from '../../src/harness/device-expectation';
import { setsAfterLeaving, trailingSets } from '../../src/harness/areas/device-outcome';
import type { TraceEntry } from '../../src/harness/trace';
import type { Oracle } from '../../src/harness/oracle';

const DEADLINE = 1_000;
const ID = 'dpe-b-1';
const group = (name: string, props: string[]) => ({ 'Message-Type': 'DPE_Group_Set', 'Group-ID': name, Properties: props });
const location = group('location', ['cell-id']);
const basics = group('device-basics', ['model']);
const settingFrom = (body: Record<string, unknown>): Setting => settingOf('DPE_Group_Set', body as never);

/** A set to phone B: seq, trace time, body, label. */
const set = (seq: number, at: number, body: Record<string, unknown>, label = ID): TraceEntry =>
  ({
    seq,
    at,
    kind: 'notify',
    to: 'phone B',
    messageType: 'DPE_Group_Set',
    body,
    headers: { 'DPE-Client-ID': label },
  }) as unknown as TraceEntry;

/** Phone B registered at mark 1 (answered ID); the SIM left it at mark 10, at trace time 500. */
function judge(received: TraceEntry[], before: Partial<DeviceExpectation>, definedBySp: Setting[] = []) {
  const prev: DeviceExpectation = {
    basis: 'device-change',
    user: 'Alice',
    required: new Map(),
    allowed: new Map(),
    anyExtra: false,
    since: 1,
    ...before,
  };
  const x = left([], 10, prev);
  const s = {
    oracle: { ownerOf: (st: Setting) => (definedBySp.some((d) => d.id === st.id) ? 'Alice' : undefined) } as unknown as Oracle,
    trace: { entries: [{ seq: 11, at: 500 } as TraceEntry, ...received] },
  };
  const device = { name: 'phone B', received, accepted: [{ mark: 1, clientId: ID }] };
  const trailing = trailingSets(s, device, x, DEADLINE);
  return { trailing: trailing.map((e) => e.seq), findings: setsAfterLeaving(device, x, trailing).map((f) => f.requirement) };
}

describe('a set that reaches a device after its SIM left it', () => {
  it('is excused when the registration still owed it, within one delivery deadline, under its ID', () => {
    const owed = settingFrom(location);
    const required = new Map([[`DPE_Group_Set:location`, { setting: owed, requirement: 'dc.set-groups', why: 'defined' }]]);
    assert.deepEqual(judge([set(12, 900, location)], { required }), { trailing: [12], findings: [] });
  });

  it('is excused when it is a setting no SP defined and the reading lets the server add it (E31 lenient)', () => {
    assert.deepEqual(judge([set(12, 900, basics)], { anyExtra: true }), { trailing: [12], findings: [] });
  });

  it('is a failure under the strict reading, past the deadline, under another ID, or when an SP defined it', () => {
    const failing = { trailing: [], findings: ['dc.previous-device-no-settings'] };
    assert.deepEqual(judge([set(12, 900, basics)], { anyExtra: false }), failing, 'E31 strict');
    assert.deepEqual(judge([set(12, 500 + DEADLINE + 1, basics)], { anyExtra: true }), failing, 'past the deadline');
    assert.deepEqual(judge([set(12, 900, basics, 'dpe-other')], { anyExtra: true }), failing, 'another ID');
    assert.deepEqual(judge([set(12, 900, basics)], { anyExtra: true }, [settingFrom(basics)]), failing, "an SP's definition relayed");
  });

  it('is a failure when it repeats what the device had before the SIM left (settings sent to the previous device)', () => {
    const owed = settingFrom(location);
    const required = new Map([[`DPE_Group_Set:location`, { setting: owed, requirement: 'dc.set-groups', why: 'defined' }]]);
    const got = judge([set(5, 300, location), set(12, 900, location)], { required });
    assert.deepEqual(got, { trailing: [], findings: ['dc.previous-device-no-settings'] });
  });
});
