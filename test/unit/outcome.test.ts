/**
 * Outcome over sequence (issue 8): the DPE state a mock device builds from what it receives,
 * what a mock SP believes after its reports, the oracle's expectations, and the judgement that
 * grades a check by its requirement's normative force.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DpeClientState, sameContent, settingOf } from '../../mocks/dpe-state';
import { SpKnowledge } from '../../mocks/sp-knowledge';
import type { Ics } from '../../src/config/ics';
import { referenceIcs } from '../../src/config/ics';
import { ConformanceFailure } from '../../src/harness/expect';
import { Judgement } from '../../src/harness/judgement';
import { Oracle } from '../../src/harness/oracle';
import { forceOf } from '../../src/requirements/force';
import { REQUIREMENTS, requirement } from '../../src/requirements/catalog';

const group = (id: string, props: string[]) => ({ 'Message-Type': 'DPE_Group_Set', 'Message-ID': 'm', 'Group-ID': id, Properties: props });
const propPolicy = (id: string) => ({
  'Message-Type': 'DPE_Property_Policy_Set',
  'Message-ID': 'm',
  'Policy-ID': id,
  Property: 'gps',
  Policy: { Trigger: 'on-change' },
});
const groupPolicy = (id: string, g: string) => ({
  'Message-Type': 'DPE_Group_Policy_Set',
  'Message-ID': 'm',
  'Policy-ID': id,
  'Group-ID': g,
  Policy: { Trigger: 'periodic', Period: 60 },
});

describe('DpeClientState (what a client holds)', () => {
  it('a set creates or replaces by id; a release of "*" clears everything of its kind', () => {
    const s = new DpeClientState();
    s.apply('DPE_Group_Set', group('g', ['a']), 1);
    s.apply('DPE_Group_Set', group('g', ['b']), 2);
    s.apply('DPE_Property_Policy_Set', propPolicy('p'), 3);
    assert.deepEqual(s.get('DPE_Group_Set', 'g')?.content, { Properties: ['b'] });
    s.apply('DPE_Group_Release', { Group_ID: '*' }, 4);
    assert.equal(s.get('DPE_Group_Set', 'g'), undefined);
    assert.ok(s.get('DPE_Property_Policy_Set', 'p'), 'a group release leaves policies alone');
    s.apply('DPE_Policy_Release', { 'Policy-ID': '*' }, 5);
    assert.deepEqual(s.settings(), []);
  });

  it('a release of one id removes only that one; the prose spelling counts only when the erratum is read leniently', () => {
    const strict = new DpeClientState();
    const lenient = new DpeClientState({ groupIdHyphen: true, policyIdUnderscore: true });
    for (const s of [strict, lenient]) {
      s.apply('DPE_Group_Set', group('g', ['a']), 1);
      s.apply('DPE_Group_Set', group('h', ['a']), 2);
      s.apply('DPE_Group_Release', { 'Group-ID': 'g' }, 3);
    }
    assert.equal(strict.settings().length, 2, 'Group-ID is not the table IE (E01 strict)');
    assert.deepEqual(
      lenient.settings().map((x) => x.id),
      ['h'],
    );
  });

  it('records a group policy that names a group the client does not hold (derived: a warning)', () => {
    const s = new DpeClientState();
    s.apply('DPE_Group_Policy_Set', groupPolicy('gp', 'g'), 7);
    assert.equal(s.problems.length, 1);
    assert.equal(s.problems[0]!.requirement, 'dc.order-group-before-policy');
    assert.match(s.problems[0]!.message, /#7/);
    s.apply('DPE_Group_Set', group('g2', ['a']), 8);
    s.apply('DPE_Group_Policy_Set', groupPolicy('gp2', 'g2'), 9);
    assert.equal(s.problems.length, 1);
  });

  it('compares bags as sets', () => {
    assert.ok(sameContent({ Properties: ['a', 'b'] }, { Properties: ['b', 'a'] }));
    assert.ok(!sameContent({ Properties: ['a'] }, { Properties: ['a', 'b'] }));
  });
});

describe('SpKnowledge (what an SP was told)', () => {
  const report = (id: number, ids: string[] | null, user = 'tel:+1') => ({
    'Message-Type': 'DPE_Client_ID_Report',
    'Message-ID': id,
    'User-Identity': [user],
    'Client-ID': ids,
  });

  it('the latest accepted report is what the SP believes: a stale one after a correct one wins', () => {
    const k = new SpKnowledge('maps provider');
    k.apply(report(1, ['new']), 1);
    k.apply(report(2, ['old']), 2);
    assert.deepEqual(k.latestAbout('tel:+1')?.clientIds, ['old']);
  });

  it('de-duplicates by Message-ID; the same Message-ID saying something else is a problem', () => {
    const k = new SpKnowledge('maps provider');
    k.apply(report(1, ['a']), 1);
    k.apply(report(1, ['a']), 2);
    assert.equal(k.reports.length, 1);
    assert.equal(k.problems.length, 0);
    k.apply(report(1, ['b']), 3);
    assert.equal(k.problems[0]!.requirement, 'cid.report-message-id-unique');
    assert.deepEqual(k.latestAbout('tel:+1')?.clientIds, ['a'], 'the duplicate is dropped, as an SP would');
  });
});

describe('Oracle (what each device must hold)', () => {
  function oracle(ics: Ics = referenceIcs('per-user-and-device')) {
    const ids = new Map<string, string>();
    const o = new Oracle(ics, (d) => ids.get(d));
    o.users.set('Alice', { name: 'Alice', identity: 'tel:+1', kind: 'sim' });
    o.users.set('Bob', { name: 'Bob', identity: 'tel:+2', kind: 'sim' });
    return { o, ids };
  }
  const loc = settingOf('DPE_Group_Set', group('loc', ['gps']));

  it("a device change requires every defined setting (all-defined); a relay adds to the user's current devices only", () => {
    const { o, ids } = oracle();
    o.definedFor('Alice', loc);
    ids.set('phone A', 'c1');
    o.registered('phone A', 'tel:+1', 1, []);
    const x = o.expectationOf('phone A');
    assert.equal(x.basis, 'device-change');
    assert.deepEqual(
      [...x.required.values()].map((r) => r.requirement),
      ['dc.set-groups'],
    );
    ids.set('phone B', 'c2');
    o.registered('phone B', 'tel:+2', 2, []);
    o.definedFor('Alice', settingOf('DPE_Group_Set', group('trip', ['speed'])));
    assert.equal(o.expectationOf('phone A').required.size, 2);
    assert.equal(o.expectationOf('phone B').required.size, 0, "Bob's device is not sent Alice's group");
  });

  it("under subset nothing restored is required, but only the user's settings are allowed", () => {
    const { o, ids } = oracle({ ...referenceIcs('per-user-and-device'), restoredSettings: 'subset' });
    o.definedFor('Alice', loc);
    ids.set('phone A', 'c1');
    o.registered('phone A', 'tel:+1', 1, []);
    const x = o.expectationOf('phone A');
    assert.equal(x.required.size, 0);
    assert.equal(x.allowed.size, 1);
  });

  it("a SIM that moves leaves its device: it may be released, never set; the move is a change of the user's Client IDs", () => {
    const { o, ids } = oracle();
    ids.set('phone A', 'c1');
    o.registered('phone A', 'tel:+1', 1, []);
    ids.set('phone B', 'c2');
    o.registered('phone B', 'tel:+1', 5, []);
    assert.equal(o.expectationOf('phone A').basis, 'left');
    assert.deepEqual(o.currentClientIdsOf('Alice'), ['c2']);
    assert.deepEqual(o.changesOf('Alice', 2), [5]);
    // back to the device it was in: a device change again (E21)
    assert.equal(o.isDeviceChange('phone A', 'tel:+1'), true);
  });

  it('a registration that changes nothing keeps what the device held', () => {
    const { o, ids } = oracle();
    ids.set('phone A', 'c1');
    o.registered('phone A', 'tel:+1', 1, []);
    o.registered('phone A', 'tel:+1', 3, [loc]);
    const x = o.expectationOf('phone A');
    assert.equal(x.basis, 'unchanged');
    assert.equal(x.required.get('DPE_Group_Set:loc')?.requirement, 'dc.unchanged-keeps-settings');
  });

  it('under E24 lenient a first registration of a new user on a new device requires nothing restored', () => {
    const { o, ids } = oracle({ ...referenceIcs('per-user-and-device'), errata: { E24: 'lenient' } });
    o.definedFor('Alice', loc);
    ids.set('phone A', 'c1');
    o.registered('phone A', 'tel:+1', 1, []);
    assert.equal(o.expectationOf('phone A').basis, 'first-registration');
    assert.equal(o.expectationOf('phone A').required.size, 0);
  });

  it("a registration that changes nothing but the Client ID (per-registration) changes the user's Client IDs (8.2.3)", () => {
    const { o, ids } = oracle(referenceIcs('per-registration'));
    ids.set('phone A', 'c1');
    o.registered('phone A', 'tel:+1', 1, []);
    // the answer gives the device its new ID before the model hears of the registration
    ids.set('phone A', 'c2');
    o.registered('phone A', 'tel:+1', 5, []);
    assert.deepEqual(o.changesOf('Alice'), [1, 5]);
    ids.set('phone A', 'c2');
    o.registered('phone A', 'tel:+1', 9, []);
    assert.deepEqual(o.changesOf('Alice'), [1, 5], 'the same ID again is no change');
  });
});

describe('normative force', () => {
  it('CR text, CR tables and the binding fail; derived rules warn unless the ICS declares the erratum reading they rest on', () => {
    assert.equal(forceOf(requirement('dc.release-groups')), 'fails');
    assert.equal(forceOf(requirement('msg.group-release.ies')), 'fails');
    assert.equal(forceOf(requirement('cid.report-concerned-only')), 'fails');
    assert.equal(forceOf(requirement('dc.unchanged-no-releases')), 'warns');
    assert.equal(forceOf(requirement('reg.client-registers-at-startup')), 'informs');
    const declared: Ics = { ...referenceIcs('per-user-and-device'), errata: { E31: 'strict' } };
    const silent: Ics = { ...referenceIcs('per-user-and-device'), errata: {} };
    assert.equal(forceOf(requirement('dc.sets-only-defined'), declared), 'fails');
    assert.equal(forceOf(requirement('dc.sets-only-defined'), silent), 'warns');
  });

  it('every derived requirement says why, and none fails a run without a declaration', () => {
    const silent: Ics = { ...referenceIcs('per-user-and-device'), errata: {} };
    for (const r of REQUIREMENTS.filter((x) => x.source.kind === 'derived')) {
      assert.ok((r.reasoning ?? '').length > 20, r.id);
      assert.notEqual(forceOf(r, silent), 'fails', r.id);
    }
  });

  it('Judgement: a failed check of a failing rule is thrown on; of a warning rule it is recorded and the scenario goes on', async () => {
    const j = new Judgement(referenceIcs('per-user-and-device'));
    await j.check('dc.unchanged-no-releases', () => {
      throw new ConformanceFailure('phone A received DPE_Group_Release (#3)');
    });
    assert.deepEqual(
      j.warnings().map((w) => w.requirement),
      ['dc.unchanged-no-releases'],
    );
    await assert.rejects(
      j.check('dc.release-groups', () => {
        throw new ConformanceFailure('no release');
      }),
      (e: ConformanceFailure) => e.requirement === 'dc.release-groups',
    );
    // a check may name a more precise requirement than the step that ran it
    await assert.rejects(
      j.check('cid.report-on-change', () => {
        throw new ConformanceFailure('stale id', [], 'msg.client-id-report.ids-current');
      }),
      (e: ConformanceFailure) => e.requirement === 'msg.client-id-report.ids-current',
    );
    assert.deepEqual(
      j.failures().map((f) => f.requirement),
      ['dc.release-groups', 'msg.client-id-report.ids-current'],
    );
  });

  it('Judgement.settle throws only when a finding fails, naming every failing one', () => {
    const j = new Judgement(referenceIcs('per-user-and-device'));
    j.settle([{ requirement: 'cid.report-only-on-change', message: 'a redundant report' }]);
    assert.throws(
      () =>
        j.settle([
          { requirement: 'sp.relay-current-only', message: 'x' },
          { requirement: 'dc.previous-device-no-settings', message: 'y' },
        ]),
      /2 checks did not hold/,
    );
  });
});
