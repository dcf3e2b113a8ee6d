/**
 * A release a device change owes is decided at the change's first set (binding, Timing and order:
 * both releases reach the client before any set): firstSetOfChange finds that set — labelled with
 * the Client ID the change's registration was answered with, so a set still on its way from the
 * registration before does not decide anything — and owedReleases carries it as the outcome's
 * decidedBy, which ends every wait for the release there (issue 9, item 2).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { referenceIcs } from '../../src/config/ics';
import { firstSetOfChange, owedReleases } from '../../src/harness/areas/device-outcome';
import type { DeviceExpectation } from '../../src/harness/device-expectation';
import type { MissedMessage, TraceEntry } from '../../src/harness/trace';
import { Trace } from '../../src/harness/trace';
import { missedLabel } from '../../src/report/sequence-chart';
import { traceToNdjson } from '../../src/report/trace-file';

const s = { ctx: { ics: referenceIcs('per-user-and-device') } };
const NEW_ID = 'dpe-new';
const OLD_ID = 'dpe-old';

const notify = (seq: number, messageType: string, body: Record<string, unknown>, label = NEW_ID): TraceEntry =>
  ({
    seq,
    at: seq * 5,
    from: 'DPE Server',
    to: 'phone B',
    kind: 'notify',
    messageType,
    headers: { 'DPE-Client-ID': label },
    body: { 'Message-Type': messageType, 'Message-ID': `s-${seq}`, ...body },
    problems: [],
  }) as TraceEntry;
const groupSet = (seq: number, label?: string) => notify(seq, 'DPE_Group_Set', { 'Group-ID': 'location', Properties: ['gps'] }, label);
const groupRelease = (seq: number) => notify(seq, 'DPE_Group_Release', { Group_ID: '*' });
const policyRelease = (seq: number) => notify(seq, 'DPE_Policy_Release', { 'Policy-ID': '*' });

/** phone B: registered at #1 (answered with OLD_ID), then the device change registered at #10 (NEW_ID). */
const device = (
  received: TraceEntry[],
  accepted = [
    { mark: 1, clientId: OLD_ID },
    { mark: 10, clientId: NEW_ID },
  ],
) => ({
  name: 'phone B',
  received,
  accepted,
});
const change = { basis: 'device-change', since: 10 } as DeviceExpectation;

describe("a device change's first set", () => {
  it('is the first set after the change labelled with the Client ID its registration was answered with', () => {
    assert.equal(firstSetOfChange(device([policyRelease(12), groupSet(13), groupSet(14)]), 10)?.seq, 13);
  });

  it('is not a set still on its way from the registration before (labelled with the ID before)', () => {
    assert.equal(firstSetOfChange(device([groupSet(12, OLD_ID)]), 10), undefined);
    assert.equal(firstSetOfChange(device([groupSet(12, OLD_ID), groupSet(15)]), 10)?.seq, 15);
  });

  it('is none before the registration was answered, nor before the change', () => {
    assert.equal(firstSetOfChange(device([groupSet(12)], [{ mark: 1, clientId: OLD_ID }]), 10), undefined);
    assert.equal(firstSetOfChange(device([groupSet(5)]), 10), undefined);
  });
});

describe('the releases a device change owes', () => {
  it('are both releases, undecided while no set has come', () => {
    const owed = owedReleases(s, device([]), change);
    assert.deepEqual(
      owed.map((o) => [o.messageType, o.decidedBy]),
      [
        ['DPE_Group_Release', undefined],
        ['DPE_Policy_Release', undefined],
      ],
    );
  });

  it('are decided by the first set of the change, and the one that came before it is not owed', () => {
    const owed = owedReleases(s, device([policyRelease(12), groupSet(13)]), change);
    assert.deepEqual(
      owed.map((o) => [o.messageType, o.decidedBy?.seq]),
      [['DPE_Group_Release', 13]],
    );
  });

  it('are none once both came, and none for a registration that was not a device change', () => {
    assert.deepEqual(owedReleases(s, device([groupRelease(11), policyRelease(12), groupSet(13)]), change), []);
    assert.deepEqual(owedReleases(s, device([]), { ...change, basis: 'unchanged' }), []);
    assert.deepEqual(owedReleases(s, device([]), { ...change, basis: 'first-registration' }), []);
  });
});

describe('a release decided by a set, as the reports show it', () => {
  const missed: MissedMessage = {
    at: 40,
    since: 10,
    from: 'DPE Server',
    to: 'phone B',
    messageType: 'DPE_Group_Release',
    detail: '"*"',
    withinMs: 1500,
    before: { seq: 13, messageType: 'DPE_Group_Set' },
  };

  it('is marked in the chart as not received before that set', () => {
    assert.deepEqual(missedLabel(missed), ['expected DPE_Group_Release "*"', 'before DPE_Group_Set #13, not received']);
  });

  it('names that set in the trace file', () => {
    const line = JSON.parse(traceToNdjson([], [missed]).trim()) as Record<string, unknown>;
    assert.deepEqual(line.before, { seq: 13, messageType: 'DPE_Group_Set' });
  });

  it('is recorded by the trace with the set that decided it', () => {
    const t = new Trace();
    t.notReceived({
      to: 'phone B',
      messageType: 'DPE_Group_Release',
      since: 1,
      withinMs: 1500,
      before: { seq: 3, messageType: 'DPE_Group_Set' },
    });
    assert.deepEqual(t.missed[0]?.before, { seq: 3, messageType: 'DPE_Group_Set' });
  });
});
