/**
 * The load mode's invariant checker (src/load/invariants.ts) on hand-built histories: for each
 * invariant a history where it holds and one where it is broken and caught, and the ICS read as
 * the suite reads it (policy, errata switches).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientIdPolicy, Ics } from '../../src/config/ics';
import { referenceIcs } from '../../src/config/ics';
import type { Verdict } from '../../src/load/invariants';
import { checkHistory } from '../../src/load/invariants';
import type { InvariantId } from '../../src/load/violations';
import { ALICE, BOB, CAROL, HistoryBuilder } from './support/load-history';

const ics = (policy: ClientIdPolicy = 'per-user-and-device', errata: Record<string, 'strict' | 'lenient'> = {}): Ics => {
  const base = referenceIcs(policy);
  return { ...base, errata: { ...base.errata, ...errata } };
};

/**
 * The maps SP asks about Alice (who has no Client ID yet), Alice registers on phone A, the SP
 * defines a group for her, then her SIM moves to phone B — everything the target owes arrives.
 * `skip` leaves out one of the target's messages, `extra` adds some after the move.
 */
function simMove(
  o: { skip?: 'group-release' | 'group-set' | 'report'; setFirst?: boolean; extra?: (b: HistoryBuilder) => void } = {},
): HistoryBuilder {
  const b = new HistoryBuilder();
  b.query('maps', ALICE, null);
  b.register('phone A', ALICE, 'a1').releases('phone A').report('maps', ALICE, ['a1']);
  b.defineGroup('maps', ALICE, 'trip', ['speed']).group('phone A', 'trip', ['speed']);
  b.register('phone B', ALICE, 'b1');
  if (o.setFirst) b.group('phone B', 'trip', ['speed']);
  if (o.skip !== 'group-release') b.toPhone('phone B', { 'Message-Type': 'DPE_Group_Release', Group_ID: '*' });
  b.toPhone('phone B', { 'Message-Type': 'DPE_Policy_Release', 'Policy-ID': '*' });
  if (o.skip !== 'group-set' && !o.setFirst) b.group('phone B', 'trip', ['speed']);
  if (o.skip !== 'report') b.report('maps', ALICE, ['b1'], { replaces: ['a1'] });
  o.extra?.(b);
  return b;
}

const of = (v: Verdict, invariant: InvariantId) => v.violations.filter((x) => x.invariant === invariant);
const requirements = (v: Verdict, invariant?: InvariantId) =>
  [...new Set((invariant ? of(v, invariant) : v.violations).map((x) => x.requirement))].sort();
const describeAll = (v: Verdict) =>
  [...v.violations, ...v.warnings].map((x) => `${x.force} ${x.invariant} ${x.requirement}: ${x.message}`).join('\n');

describe('load invariants: a correct history', () => {
  it('breaks none of them', () => {
    const v = checkHistory(simMove().history(), ics());
    assert.deepEqual([...v.violations, ...v.warnings], [], describeAll(v));
    assert.ok(v.checkpoints >= 4, 'judged at every action boundary and at the end');
  });
});

describe("invariant: every device change leaves the device in its user's state", () => {
  it('holds when the new device gets the releases and every defined group', () => {
    assert.deepEqual(of(checkHistory(simMove().history(), ics()), 'device-state'), []);
  });

  it("catches a device change that does not restore the user's group", () => {
    const v = checkHistory(simMove({ skip: 'group-set' }).history(), ics());
    assert.deepEqual(requirements(v, 'device-state'), ['dc.set-groups'], describeAll(v));
    assert.match(of(v, 'device-state')[0]!.message, /phone B does not hold the group "trip"/);
  });

  it('catches a device change without the "*" group release', () => {
    const v = checkHistory(simMove({ skip: 'group-release' }).history(), ics());
    assert.ok(requirements(v, 'device-state').includes('dc.release-groups'), describeAll(v));
  });

  it('catches a set sent to the device the SIM left', () => {
    const v = checkHistory(simMove({ extra: (b) => b.group('phone A', 'trip', ['speed']) }).history(), ics());
    assert.deepEqual(requirements(v, 'device-state'), ['dc.previous-device-no-settings'], describeAll(v));
  });

  it('catches a state wrong at an action boundary even when a later device change wipes it', () => {
    const b = simMove({ extra: (x) => x.group('phone B', 'intruder', ['heading']) });
    // Alice's SIM goes back to A: B's stray group no longer matters at the end, but it was wrong before
    b.register('phone A', ALICE, 'a2')
      .releases('phone A')
      .group('phone A', 'trip', ['speed'])
      .report('maps', ALICE, ['a2'], { replaces: ['b1'] });
    const v = checkHistory(b.history(), ics());
    assert.deepEqual(requirements(v, 'device-state'), ['dc.sets-only-defined'], describeAll(v));
  });
});

describe('invariant: every Client ID change reaches each concerned SP', () => {
  it('holds when the concerned SP is told each new Client ID', () => {
    assert.deepEqual(of(checkHistory(simMove().history(), ics()), 'client-id-reports'), []);
  });

  it('catches a change the concerned SP was not told (its latest word is stale)', () => {
    const v = checkHistory(simMove({ skip: 'report' }).history(), ics());
    assert.deepEqual(requirements(v, 'client-id-reports'), ['msg.client-id-report.ids-current'], describeAll(v));
    assert.match(of(v, 'client-id-reports')[0]!.message, /maps provider was last told .* a1/);
  });

  it('catches a report to an SP that is not concerned with the user', () => {
    const v = checkHistory(simMove({ extra: (b) => b.report('music', ALICE, ['b1']) }).history(), ics());
    assert.deepEqual(requirements(v, 'client-id-reports'), ['cid.report-concerned-only'], describeAll(v));
  });

  it('catches one Message-ID saying two things to one SP across cohorts', () => {
    const b = simMove();
    b.query('maps', 'tel:+15550000009', null, 'c2')
      .register('phone Z', 'tel:+15550000009', 'z1')
      .releases('phone Z')
      .report('maps', 'tel:+15550000009', ['z1'], { messageId: 7, cohort: 'c2' });
    const first = b.entries.find((e) => e.messageType === 'DPE_Client_ID_Report')!;
    (first.body as Record<string, unknown>)['Message-ID'] = 7;
    const v = checkHistory(b.history(), ics());
    assert.deepEqual(requirements(v, 'client-id-reports'), ['cid.report-message-id-unique'], describeAll(v));
  });
});

describe('invariant: no Client ID is on two devices at once', () => {
  it('holds when every device has a Client ID of its own', () => {
    const b = simMove();
    b.register('phone Z', 'tel:+15550000009', 'z1').releases('phone Z');
    assert.deepEqual(of(checkHistory(b.history(), ics()), 'client-id-unique'), []);
  });

  it('catches a Client ID given to a device of another cohort while phone A still holds it', () => {
    const b = simMove();
    b.register('phone Z', 'tel:+15550000009', 'a1').releases('phone Z');
    const v = checkHistory(b.history(), ics());
    assert.deepEqual(requirements(v, 'client-id-unique'), ['dc.new-client-id', 'reg.client-id-unique'], describeAll(v));
    assert.match(v.violations.find((x) => x.requirement === 'reg.client-id-unique')!.message, /given to phone Z .* while phone A holds it/);
  });

  it('follows the declared Client ID policy: a new ID on a registration that changed nothing is wrong only per user and device', () => {
    const b = new HistoryBuilder().register('phone A', BOB, 'x1').releases('phone A').register('phone A', BOB, 'x2');
    assert.deepEqual(requirements(checkHistory(b.history(), ics('per-user-and-device'))), ['policy.per-user-and-device.same-id']);
    assert.deepEqual(requirements(checkHistory(b.history(), ics('per-registration'))), []);
    assert.deepEqual(requirements(checkHistory(b.history(), ics('per-device'))), ['policy.per-device.keeps-id']);
  });

  it('follows the declared policy: a device that keeps its ID for a new user is right only per device', () => {
    const b = new HistoryBuilder().register('phone A', BOB, 'x1').releases('phone A').register('phone A', ALICE, 'x1').releases('phone A');
    assert.deepEqual(requirements(checkHistory(b.history(), ics('per-device'))), []);
    assert.deepEqual(requirements(checkHistory(b.history(), ics('per-user-and-device'))), ['policy.per-user-and-device.new-id-on-change']);
  });
});

describe('invariant: per-destination order holds', () => {
  it('holds when both releases come before the sets', () => {
    assert.deepEqual(of(checkHistory(simMove().history(), ics()), 'order'), []);
  });

  it('catches a set that reaches the device before the releases of its device change', () => {
    const v = checkHistory(simMove({ setFirst: true }).history(), ics());
    assert.deepEqual(requirements(v, 'order'), ['dc.order-releases-first'], describeAll(v));
  });

  it('takes a message delivered again unchanged once: a late retry of a relay is no set of the next device change', () => {
    const b = new HistoryBuilder();
    b.register('phone A', ALICE, 'a1').releases('phone A');
    b.defineGroup('maps', ALICE, 'trip', ['speed']).group('phone A', 'trip', ['speed']);
    // Alice's SIM moves to B and C's user takes A: the relay's retry reaches A before the releases of A's device change
    b.register('phone B', ALICE, 'b1')
      .releases('phone B')
      .group('phone B', 'trip', ['speed'])
      .report('maps', ALICE, ['b1'], { replaces: ['a1'] });
    b.register('phone A', BOB, 'a2').again('phone A').releases('phone A');
    const v = checkHistory(b.history(), ics());
    assert.deepEqual([...v.violations, ...v.warnings], [], describeAll(v));
    assert.equal(v.retries, 1);
  });

  it('warns about a group policy that arrives before its group (a derived rule)', () => {
    const b = simMove({
      extra: (x) =>
        x.toPhone('phone B', {
          'Message-Type': 'DPE_Group_Policy_Set',
          'Policy-ID': 'p',
          'Group-ID': 'later',
          Policy: { Trigger: 'on-change' },
        }),
    });
    const v = checkHistory(b.history(), ics());
    assert.ok(
      v.warnings.some((w) => w.invariant === 'order' && w.requirement === 'dc.order-group-before-policy'),
      describeAll(v),
    );
  });
});

describe('invariant: nothing was lost', () => {
  it('holds when everything owed arrived and every request was answered', () => {
    assert.deepEqual(of(checkHistory(simMove().history(), ics()), 'lost'), []);
  });

  it('catches what was still owed when the drain ended', () => {
    const v = checkHistory(simMove({ skip: 'group-set' }).history(), ics());
    const lost = of(v, 'lost');
    assert.equal(lost.length, 1, describeAll(v));
    assert.match(lost[0]!.message, /phone B never received DPE_Group_Set "trip"/);
    assert.equal(lost[0]!.requirement, 'dc.set-groups');
  });

  it('catches a request that got no answer, and judges nothing of that cohort after it', () => {
    const b = simMove();
    b.register('phone C', BOB, '', { none: 'no answer within 2000 ms' });
    b.group('phone C', 'stray', ['x']);
    const v = checkHistory(b.history(), ics());
    assert.equal(of(v, 'lost').length, 1, describeAll(v));
    assert.match(of(v, 'lost')[0]!.message, /phone C \(#\d+\) got no answer/);
    assert.deepEqual(
      v.notJudgedAfter.map((n) => n.cohort),
      ['c1'],
    );
  });
});

describe('invariant: every message validates and is attributable', () => {
  it('holds for well-formed messages labelled with the Client ID of their device', () => {
    assert.deepEqual(of(checkHistory(simMove().history(), ics()), 'catalog'), []);
  });

  it('catches a malformed message', () => {
    const problem = {
      code: 'MISSING_IE' as const,
      message: 'DPE_Group_Release',
      ie: 'Group_ID',
      clause: '6.2.3.3',
      detail: 'is missing (mandatory)',
    };
    const v = checkHistory(
      simMove({
        extra: (b) => b.toPhone('phone B', { 'Message-Type': 'DPE_Group_Release', 'Group-ID': 'x' }, { problems: [problem] }),
      }).history(),
      ics(),
    );
    assert.deepEqual(requirements(v, 'catalog'), ['msg.group-release.ies'], describeAll(v));
  });

  it('catches a message labelled with a Client ID the device was never given', () => {
    const v = checkHistory(
      simMove({
        extra: (b) => b.toPhone('phone B', { 'Message-Type': 'DPE_Group_Release', Group_ID: 'nothing' }, { label: 'someone-else' }),
      }).history(),
      ics(),
    );
    assert.deepEqual(requirements(v, 'catalog'), ['dc.addressed-to-current-client'], describeAll(v));
  });

  it('catches a message nobody of the load can own', () => {
    const b = simMove();
    b.unattributed.push({
      at: 'now',
      path: '/sps/sp-maps',
      body: '{"Message-Type":"DPE_Client_ID_Report","User-Identity":["tel:+19990000000"]}',
      why: 'names no identity of the run',
    });
    assert.deepEqual(requirements(checkHistory(b.history(), ics()), 'catalog'), ['binding.rejected-no-state-change']);
  });
});

describe('answers are what the model expects', () => {
  it("holds when a query is answered with the user's current Client IDs, and null before there is one", () => {
    assert.deepEqual(of(checkHistory(simMove({ extra: (b) => b.query('maps', ALICE, ['b1']) }).history(), ics()), 'answers'), []);
  });

  it('catches a Client ID query answered with a stale Client ID', () => {
    const v = checkHistory(simMove({ extra: (b) => b.query('maps', ALICE, ['a1']) }).history(), ics());
    assert.deepEqual(requirements(v, 'answers'), ['query.current-associations'], describeAll(v));
  });
});

describe('the ICS is read as the suite reads it', () => {
  /** Bob is new on a new device and gets no releases; the maps SP, concerned with him before, is never told his first Client ID. */
  const firstRegistration = () => new HistoryBuilder().query('maps', BOB, null).register('phone C', BOB, 'c1');

  it('E24: releases on a first registration are owed when read strictly, open when read leniently', () => {
    const strict = checkHistory(firstRegistration().history(), ics());
    assert.ok(requirements(strict, 'device-state').includes('dc.release-groups'));
    assert.match(
      strict.violations.find((x) => x.requirement === 'dc.release-groups')!.message,
      /use case dc\.usecase\.new-user-new-device/,
    );
    assert.deepEqual(requirements(checkHistory(firstRegistration().history(), ics(undefined, { E24: 'lenient', E33: 'lenient' }))), []);
  });

  it('E33: the report of a first association is owed when read strictly, not when read leniently', () => {
    const b = firstRegistration().releases('phone C');
    assert.deepEqual(requirements(checkHistory(b.history(), ics()), 'client-id-reports'), ['cid.report-first-association']);
    assert.deepEqual(requirements(checkHistory(b.history(), ics(undefined, { E33: 'lenient' }))), []);
  });

  it("E53: a multi-device user's report lists all current Client IDs when read strictly", () => {
    const b = new HistoryBuilder().query('maps', CAROL, null);
    b.register('phone A', CAROL, 'k1').releases('phone A').report('maps', CAROL, ['k1']);
    b.register('phone C', CAROL, 'k2').releases('phone C').report('maps', CAROL, ['k2']);
    assert.deepEqual(requirements(checkHistory(b.history(), ics()), 'client-id-reports'), ['msg.client-id-report.all-current-ids']);
    assert.deepEqual(requirements(checkHistory(b.history(), ics(undefined, { E53: 'lenient' }))), []);
  });
});
