/**
 * Checks of features/device-change (8.2.2 and the binding's "Settings follow the user"): the
 * state each mock device holds is compared with the oracle once the device change has settled;
 * the messages 8.2.2 names (the two `*` releases) are required and their form checked; nothing
 * else about the sequence fails a run unless the binding states it (releases before sets).
 */
import type { MockDevice } from '../../../mocks/device';
import { describeSetting, sameContent } from '../../../mocks/dpe-state';
import type { ReleaseType } from '../../catalog/protocol';
import { IE, isReleaseType, isSetType, received } from '../../catalog/protocol';
import { ConformanceFailure } from '../expect';
import type { User } from '../oracle';
import type { Scenario } from '../scenario';
import type { Outcome } from '../settle';
import type { TraceEntry } from '../trace';
import {
  firstSetOfChange,
  foreignSettings,
  keyOf,
  missingSettings,
  owedReleases,
  releasedId,
  setsAfterLeaving,
  trailingSets,
  wildcardReleaseSince,
} from './device-outcome';

/** The outcomes owed to `device`, optionally of one kind. */
const owedTo = (device: MockDevice, kind?: Outcome['kind']) => (o: Outcome) =>
  o.device === device.name && (kind === undefined || o.kind === kind);
const owedToDevices = (o: Outcome) => o.device !== undefined;

export class DeviceChangeChecks {
  constructor(private readonly s: Scenario) {}

  private fail(message: string, entries: TraceEntry[] = []): never {
    throw new ConformanceFailure(message, entries);
  }

  /**
   * 8.2.2: a release of `type` with `*` reaches the device after the action — before the first set
   * of the device change (binding, Timing and order), so the wait ends there: a release still
   * missing then is either missing or after the sets, and both fail.
   */
  private async expectWildcardRelease(device: MockDevice, type: ReleaseType, requirement: string): Promise<void> {
    const s = this.s;
    await s.check(requirement, async () => {
      const release = () => wildcardReleaseSince(s, device, type, s.since);
      await s.trace.waitUntil(() => release() !== undefined || firstSetOfChange(device, s.since) !== undefined, s.deadline);
      const firstSet = firstSetOfChange(device, s.since);
      const found = release();
      if (found && (!firstSet || found.seq < firstSet.seq)) return;
      if (found && firstSet)
        this.fail(
          `${device.name} received ${type} with "*" (#${found.seq}) only after ${firstSet.messageType} (#${firstSet.seq}), the first set of the device change: the release resets the client before its settings are restored (clause 8.2.2; the binding has both releases reach the client before any set)`,
          [firstSet, found],
        );
      const got = device.received.filter((e) => e.seq >= s.since && e.messageType === type && (!firstSet || e.seq < firstSet.seq));
      const before = firstSet ? { before: firstSet } : {};
      if (!got.length) s.missed(device.name, type, { detail: '"*"', ...before });
      const ie = type === 'DPE_Group_Release' ? IE.Group_ID : IE.PolicyID;
      const what = firstSet
        ? `before ${firstSet.messageType} (#${firstSet.seq}), the first set of the device change,`
        : `within ${s.deadline} ms,`;
      const order = firstSet ? '; the binding has both releases reach the client before any set' : '';
      this.fail(
        got.length
          ? `${device.name} received ${got.length} ${type} with IE ${ie} ${JSON.stringify(got.map((e) => releasedId(s, e)))} ${what} none with "*" (clause 8.2.2${order})`
          : `${device.name} received no ${type} with "*" ${what} though its registration was a device change (clause 8.2.2, use case ${s.oracle.expectationOf(device.name).useCase ?? 'unknown'}${order}). What reached it since the action:\n${s.trace.describe((x) => x.to === device.name, s.since)}`,
        firstSet ? [...got, firstSet] : got,
      );
    });
  }

  expectGroupReleaseAll(device: MockDevice): Promise<void> {
    return this.expectWildcardRelease(device, 'DPE_Group_Release', 'dc.release-groups');
  }

  expectPolicyReleaseAll(device: MockDevice): Promise<void> {
    return this.expectWildcardRelease(device, 'DPE_Policy_Release', 'dc.release-policies');
  }

  /** 8.2.2 / binding: once settled, the device holds every setting its expectation requires (and no foreign one). */
  async expectRestored(device: MockDevice, user: User): Promise<void> {
    const s = this.s;
    const x = s.oracle.expectationOf(device.name);
    if (x.user !== user.name) throw new Error(`the scenario is inconsistent: ${device.name} is not ${user.name}'s device in the model`);
    await s.awaitOutcomes(owedTo(device, 'setting'));
    s.judgement.settle([...missingSettings(device, x), ...foreignSettings(s, device, x)]);
    await this.expectReleasesBeforeSets(device, false);
    await this.expectGroupsBeforeTheirPolicies(device, false);
  }

  /** binding (Timing and order): for one device change both releases reach the client before any set. */
  async expectReleasesBeforeSets(device: MockDevice, needSets = true): Promise<void> {
    const s = this.s;
    await s.check('dc.order-releases-first', async () => {
      await s.awaitOutcomes(owedTo(device));
      const got = device.received.filter((e) => e.seq >= s.since);
      const firstSet = got.find((e) => isSetType(e.messageType));
      if (!firstSet) {
        // under `subset` the server may restore nothing: then there is no order to judge
        if (needSets && s.ctx.ics.restoredSettings === 'all-defined')
          this.fail(
            `${device.name} received no group or policy set to order against the releases (clause 8.2.2):\n${s.trace.describe((e) => e.to === device.name, s.since)}`,
          );
        return;
      }
      const late = got.find((e) => isReleaseType(e.messageType) && e.seq > firstSet.seq);
      if (late) {
        this.fail(
          `${late.messageType} (#${late.seq}) reached ${device.name} after ${firstSet.messageType} (#${firstSet.seq}): the binding has both releases arrive before any set`,
          [late, firstSet],
        );
      }
      // a release the change owes is not waited for past its first set (owedReleases): one not here yet is out of time
      const owed = owedReleases(s, device, s.oracle.expectationOf(device.name)).filter((o) => o.decidedBy);
      if (owed.length) {
        this.fail(
          `no ${owed.map((o) => `${o.messageType} "*"`).join(' and no ')} reached ${device.name} before ${firstSet.messageType} (#${firstSet.seq}): the binding has both releases arrive before any set`,
          [firstSet],
        );
      }
    });
  }

  /** derived: a group policy arrives when the client already holds the group it names (the device records it). */
  async expectGroupsBeforeTheirPolicies(device: MockDevice, needPolicies = true): Promise<void> {
    const s = this.s;
    await s.check('dc.order-group-before-policy', async () => {
      await s.awaitOutcomes(owedTo(device, 'setting'));
      const policies = device.received.filter((e) => e.seq >= s.since && e.messageType === 'DPE_Group_Policy_Set');
      if (needPolicies && !policies.length)
        this.fail(`${device.name} received no DPE_Group_Policy_Set to order against its group (clause 8.2.2)`);
      const p = device.state.problems.find((x) => x.seq >= s.since);
      if (p)
        this.fail(
          `${device.name}: ${p.message}`,
          s.trace.entries.filter((e) => e.seq === p.seq),
        );
    });
  }

  /** derived (E13): a registration with nothing changed sends no `*` release. */
  async expectNoReleases(device: MockDevice): Promise<void> {
    const s = this.s;
    await s.check('dc.unchanged-no-releases', async () => {
      await s.quietAfterAction();
      const got = device.received.filter((e) => e.seq >= s.since && isReleaseType(e.messageType));
      // a release an earlier device change owed was not waited for past that change's first set: this may be it, out of order
      const outOfTime = s.trace.missed.filter((m) => m.to === device.name && m.before && got.some((e) => e.messageType === m.messageType));
      const hint = outOfTime.length
        ? `; or ${outOfTime.map((m) => `the ${m.messageType} an earlier device change owed, after its ${m.before!.messageType} (#${m.before!.seq})`).join(' and ')} (binding: both releases before any set)`
        : '';
      if (got.length)
        this.fail(
          `${device.name} received ${got.map((e) => `${e.messageType} (#${e.seq})`).join(', ')}: a registration with nothing changed is not a device change (clause 8.2.2)${hint}`,
          got,
        );
    });
  }

  /**
   * binding: the device still holds what the model says it must (nothing taken away, nothing
   * foreign added) — after a registration that changed nothing (dc.unchanged-keeps-settings), or
   * on a multi-device user's earlier device when another is added (dc.multi-device.keeps-earlier).
   */
  async expectStillHolds(device: MockDevice, requirement: 'dc.unchanged-keeps-settings' | 'dc.multi-device.keeps-earlier'): Promise<void> {
    const s = this.s;
    await s.quietAfterAction();
    const x = s.oracle.expectationOf(device.name);
    s.judgement.settle(
      [...missingSettings(device, x), ...foreignSettings(s, device, x)].map((f) => ({
        ...f,
        requirement: f.requirement === 'dc.unchanged-keeps-settings' || f.requirement.startsWith('dc.set-') ? requirement : f.requirement,
      })),
    );
  }

  /** binding: a device the user left is sent no set (releases are allowed). */
  async expectNoSettingsSentTo(device: MockDevice): Promise<void> {
    const s = this.s;
    await s.quietAfterAction();
    const x = s.oracle.expectationOf(device.name);
    s.judgement.settle(setsAfterLeaving(device, x, trailingSets(s, device, x, s.deadline)));
  }

  /** binding: what a device change sends is labelled with the Client ID the registering device was given. */
  async expectAddressedToCurrent(device: MockDevice): Promise<void> {
    const s = this.s;
    await s.check('dc.addressed-to-current-client', async () => {
      await s.awaitOutcomes(owedToDevices);
      const got = device.received.filter((e) => e.seq >= s.since && (isReleaseType(e.messageType) || isSetType(e.messageType)));
      if (!got.length)
        s.missed(device.name, 'a release or set', {
          arrivedIf: (e) => e.to === device.name && (isReleaseType(e.messageType) || isSetType(e.messageType)),
        });
      if (!got.length)
        this.fail(
          `${device.name} received no release or set within ${s.deadline} ms, so none to check the DPE-Client-ID of (clause 8.2.2)`,
        );
      const id = s.clientIdOf(device);
      const bad = got.find((e) => e.headers?.['DPE-Client-ID'] !== id);
      if (bad) {
        this.fail(
          `${bad.messageType} (#${bad.seq}) to ${device.name} is labelled DPE-Client-ID ${JSON.stringify(bad.headers?.['DPE-Client-ID'] ?? null)}, expected ${id}, the Client ID its registration was answered with (binding)`,
          [bad],
        );
      }
    });
  }

  /** derived (E31 strict): once settled, the device holds nothing no SP defined for the user. */
  async expectOnlyDefinedSets(device: MockDevice, user: User): Promise<void> {
    const s = this.s;
    await s.awaitOutcomes(owedToDevices);
    // absence of foreign sets is asserted over it
    await s.trace.quietFor(s.quietMs, s.deadline, s.sinceAt, 'quiet');
    const defined = s.oracle.definitionsOf(user.name);
    s.judgement.settle(
      device.state
        .settings()
        .filter((h) => !defined.some((d) => keyOf(d) === keyOf(h) && sameContent(d.content, h.content)))
        .map((h) => ({
          requirement: 'dc.sets-only-defined',
          message: `${device.name} holds the ${describeSetting(h)}, which no SP defined for ${user.name} (clause 8.2.2)`,
        })),
    );
  }

  /** binding: a group an SP set for the user is held by the device as defined. */
  async expectGroupRelayed(device: MockDevice, groupId: string, properties: string): Promise<void> {
    const s = this.s;
    const want = properties
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    await s.check('sp.set-relayed', async () => {
      const holds = () => {
        const g = device.state.get('DPE_Group_Set', groupId);
        return g !== undefined && sameContent(g.content, { [IE.Properties]: want });
      };
      await s.trace.waitUntil(holds, s.deadline);
      if (!holds()) {
        s.missed(device.name, 'DPE_Group_Set', {
          detail: `"${groupId}"`,
          arrivedIf: (e) =>
            e.to === device.name && e.messageType === 'DPE_Group_Set' && received('DPE_Group_Set', e.body)[IE.GroupID] === groupId,
        });
        this.fail(
          `${device.name} does not hold the group ${groupId} with ${JSON.stringify(want)} ${s.deadline} ms after it was defined (binding: SP-defined settings are relayed to the user's current clients); ` +
            `it holds ${device.state.describe()}:\n${s.trace.describe((x) => x.to === device.name, s.since)}`,
        );
      }
    });
  }
}
