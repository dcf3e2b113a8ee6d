/**
 * Checks of features/device-change (8.2.2 and the binding's "Settings follow the user"): the
 * state each mock device holds is compared with the oracle once the device change has settled;
 * the messages 8.2.2 names (the two `*` releases) are required and their form checked; nothing
 * else about the sequence fails a run unless the binding states it (releases before sets).
 */
import { RELEASE_MESSAGES, SET_MESSAGES } from '../../catalog/messages';
import type { MockDevice } from '../../../mocks/device';
import { describeSetting, sameContent, settingId, settingKey, type Setting } from '../../../mocks/dpe-state';
import { erratumReading } from '../../requirements/applicability';
import { ConformanceFailure } from '../expect';
import type { Finding } from '../judgement';
import type { DeviceExpectation, User } from '../oracle';
import type { Scenario } from '../scenario';
import type { DeviceJudgeView, IcsView, JudgedDevice } from './judge-view';
import type { Outcome } from '../settle';
import type { TraceEntry } from '../trace';

const keyOf = (s: Setting) => settingKey(s.kind, s.id);
const body = (e: TraceEntry) => (e.body ?? {}) as Record<string, unknown>;

/** The value of a release's id IE, under the table's spelling or (erratum read leniently) the prose's. */
export function releasedId(s: IcsView, e: TraceEntry): unknown {
  const b = body(e);
  if (e.messageType === 'DPE_Group_Release') return 'Group_ID' in b || erratumReading(s.ctx.ics, 'E01') !== 'lenient' ? b['Group_ID'] : b['Group-ID'];
  return 'Policy-ID' in b || erratumReading(s.ctx.ics, 'E02') !== 'lenient' ? b['Policy-ID'] : b['Policy_ID'];
}

/** Whether a `*` release of `type` reached the device at or after `since`. */
export function wildcardReleaseSince(s: IcsView, device: Pick<JudgedDevice, 'received'>, type: string, since: number): TraceEntry | undefined {
  return device.received.find((e) => e.seq >= since && e.messageType === type && releasedId(s, e) === '*');
}

/** What keeps the device's state from meeting its expectation: missing or different required settings. */
export function missingSettings(device: Pick<JudgedDevice, 'name' | 'state'>, x: DeviceExpectation): Array<Finding & { wanted: Setting }> {
  const out: Array<Finding & { wanted: Setting }> = [];
  for (const r of x.required.values()) {
    const held = device.state.get(r.setting.kind, r.setting.id);
    const usecase = x.useCase ? `, use case ${x.useCase}` : '';
    if (!held) out.push({ requirement: r.requirement, message: `${device.name} does not hold the ${describeSetting(r.setting)} (${r.why}${usecase}); it holds ${device.state.describe()}`, wanted: r.setting });
    else if (!sameContent(held.content, r.setting.content)) {
      out.push({ requirement: r.requirement, message: `${device.name} holds the ${describeSetting(held)}, but it must hold the ${describeSetting(r.setting)} (${r.why})`, wanted: r.setting });
    }
  }
  return out;
}

/** Settings the device holds that its expectation does not allow, each with the rule it breaks. */
export function foreignSettings(s: Pick<DeviceJudgeView, 'oracle' | 'rejectedSettings'>, device: Pick<JudgedDevice, 'name' | 'state'>, x: DeviceExpectation): Finding[] {
  const out: Finding[] = [];
  for (const held of device.state.settings()) {
    if (x.required.has(keyOf(held))) continue;
    const allowed = x.allowed.get(keyOf(held));
    if (allowed && sameContent(allowed.content, held.content)) continue;
    const owner = s.oracle.ownerOf(held, x.user, (a, b) => sameContent(a.content, b.content));
    const what = `${device.name} holds the ${describeSetting(held)}`;
    if (s.rejectedSettings.some((r) => keyOf(r) === keyOf(held) && sameContent(r.content, held.content))) {
      out.push({ requirement: 'binding.rejected-no-state-change', message: `${what}, which only a request the target rejected carried` });
    } else if (owner) {
      out.push({ requirement: 'sp.relay-current-only', message: `${what}, which is ${owner}'s, and ${device.name} is not ${owner}'s device` });
    } else if (x.basis === 'left') {
      out.push({ requirement: 'dc.previous-device-no-settings', message: `${what}: nobody uses it any more, so it may be released, never set` });
    } else if (x.basis === 'unchanged') {
      out.push({ requirement: 'dc.unchanged-keeps-settings', message: `${what}, which it did not hold before a registration that changed nothing` });
    } else if (x.basis === 'unregistered') {
      out.push({ requirement: 'binding.rejected-no-state-change', message: `${what}, though no registration of it was accepted` });
    } else if (!x.anyExtra) {
      out.push({ requirement: 'dc.sets-only-defined', message: `${what}, which no SP defined for ${x.user ?? 'its user'} (E31 read strictly)` });
    }
  }
  return out;
}

/** Every set that reached a device after its user left it (binding: may be released, never set). */
export function setsAfterLeaving(device: Pick<JudgedDevice, 'name' | 'received'>, x: DeviceExpectation): Finding[] {
  if (x.basis !== 'left') return [];
  return device.received
    .filter((e) => e.seq >= x.since && SET_MESSAGES.includes(e.messageType))
    .map((e) => ({ requirement: 'dc.previous-device-no-settings', message: `${device.name} was sent ${e.messageType} (#${e.seq}) after its user moved to another device`, entries: [e] }));
}

/**
 * binding: every message to a device is labelled with the Client ID it is for. A set — what the
 * device will hold — carries the ID the device's latest accepted registration before it was
 * answered with (a set may arrive before that answer; it still belongs to that registration).
 * A release or trigger may have been caused earlier (the release of a device a SIM left arrives
 * after that device registered again), so it carries some ID the device was given before it.
 */
export function mislabelled(device: Pick<JudgedDevice, 'name' | 'received' | 'accepted'>): Finding[] {
  const out: Finding[] = [];
  for (const e of device.received) {
    const before = device.accepted.filter((r) => r.mark < e.seq);
    const reg = before.at(-1);
    const label = e.headers?.['DPE-Client-ID'];
    if (reg && label === reg.clientId) continue;
    if (!SET_MESSAGES.includes(e.messageType) && before.some((r) => r.clientId === label)) continue;
    out.push({
      requirement: 'dc.addressed-to-current-client',
      message:
        `${e.messageType} (#${e.seq}) to ${device.name} is labelled DPE-Client-ID ${JSON.stringify(label ?? null)}, ` +
        (reg ? `but ${device.name}'s registration before it was answered with ${reg.clientId}` : `though no registration of ${device.name} had been accepted`),
      entries: [e],
    });
  }
  return out;
}

/** A device nobody registered (or whose registrations were all rejected) is sent nothing (binding, Rejections). */
export function sentToUnregistered(device: Pick<JudgedDevice, 'name' | 'received'>, x: DeviceExpectation): Finding[] {
  if (x.basis !== 'unregistered' || !device.received.length) return [];
  return [{
    requirement: 'binding.rejected-no-state-change',
    message: `${device.name} was sent ${device.received.map((e) => `${e.messageType} (#${e.seq})`).join(', ')}, though no registration of it was accepted (a rejected request causes no message)`,
    entries: device.received,
  }];
}

/** The settled judgement of every device of the scenario. */
export function judgeDevices(s: DeviceJudgeView): Finding[] {
  const out: Finding[] = [];
  for (const d of s.allDevices()) {
    const x = s.oracle.expectationOf(d.name);
    out.push(...sentToUnregistered(d, x), ...missingSettings(d, x), ...foreignSettings(s, d, x), ...setsAfterLeaving(d, x), ...(x.basis === 'unregistered' ? [] : mislabelled(d)));
    for (const p of d.state.problems) out.push({ requirement: p.requirement, message: `${d.name}: ${p.message}`, entries: s.trace.entries.filter((e) => e.seq === p.seq) });
  }
  return out;
}

/** What is still to arrive at the devices for the model to be met (settling waits for it). */
export function pendingAtDevices(s: DeviceJudgeView): Outcome[] {
  const out: Outcome[] = [];
  for (const d of s.allDevices()) {
    const x = s.oracle.expectationOf(d.name);
    const cause = `device change at #${x.since}`;
    if (x.basis === 'device-change') {
      for (const t of RELEASE_MESSAGES) {
        if (wildcardReleaseSince(s, d, t, x.since)) continue;
        out.push({ key: `${d.name}: ${t} "*" (${cause})`, kind: 'release', device: d.name, to: d.name, messageType: t, detail: '"*"', since: x.since });
      }
    }
    for (const r of x.required.values()) {
      const held = d.state.get(r.setting.kind, r.setting.id);
      if (held && sameContent(held.content, r.setting.content)) continue;
      const { kind, id } = r.setting;
      out.push({
        key: `${d.name}: the ${describeSetting(r.setting)} (expected from #${x.since})`,
        kind: 'setting',
        device: d.name,
        to: d.name,
        messageType: kind,
        detail: `"${id}"`,
        since: x.since,
        arrivedIf: (e) => e.to === d.name && e.messageType === kind && String(settingId(kind, body(e))) === id,
      });
    }
  }
  return out;
}

/** The outcomes owed to `device`, optionally of one kind. */
const owedTo = (device: MockDevice, kind?: Outcome['kind']) => (o: Outcome) => o.device === device.name && (kind === undefined || o.kind === kind);
const owedToDevices = (o: Outcome) => o.device !== undefined;

export class DeviceChangeChecks {
  constructor(private readonly s: Scenario) {}

  private fail(message: string, entries: TraceEntry[] = []): never {
    throw new ConformanceFailure(message, entries);
  }

  /** 8.2.2: a release of `type` with `*` reaches the device after the action. */
  private async expectWildcardRelease(device: MockDevice, type: 'DPE_Group_Release' | 'DPE_Policy_Release', requirement: string): Promise<void> {
    const s = this.s;
    await s.check(requirement, async () => {
      await s.trace.waitUntil(() => wildcardReleaseSince(s, device, type, s.since) !== undefined, s.deadline);
      if (wildcardReleaseSince(s, device, type, s.since)) return;
      const got = device.received.filter((e) => e.seq >= s.since && e.messageType === type);
      if (!got.length) s.missed(device.name, type, { detail: '"*"' });
      const ie = type === 'DPE_Group_Release' ? 'Group_ID' : 'Policy-ID';
      this.fail(
        got.length
          ? `${device.name} received ${got.length} ${type} with IE ${ie} ${JSON.stringify(got.map((e) => releasedId(s, e)))}, none with "*" (clause 8.2.2)`
          : `${device.name} received no ${type} within ${s.deadline} ms, though its registration was a device change (clause 8.2.2, use case ${s.oracle.expectationOf(device.name).useCase ?? 'unknown'}). What reached it since the action:\n${s.trace.describe((x) => x.to === device.name, s.since)}`,
        got,
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
      const firstSet = got.find((e) => SET_MESSAGES.includes(e.messageType));
      if (!firstSet) {
        // under `subset` the server may restore nothing: then there is no order to judge
        if (needSets && s.ctx.ics.restoredSettings === 'all-defined') this.fail(`${device.name} received no group or policy set to order against the releases (clause 8.2.2):\n${s.trace.describe((e) => e.to === device.name, s.since)}`);
        return;
      }
      const late = got.find((e) => RELEASE_MESSAGES.includes(e.messageType) && e.seq > firstSet.seq);
      if (late) {
        this.fail(`${late.messageType} (#${late.seq}) reached ${device.name} after ${firstSet.messageType} (#${firstSet.seq}): the binding has both releases arrive before any set`, [late, firstSet]);
      }
    });
  }

  /** derived: a group policy arrives when the client already holds the group it names (the device records it). */
  async expectGroupsBeforeTheirPolicies(device: MockDevice, needPolicies = true): Promise<void> {
    const s = this.s;
    await s.check('dc.order-group-before-policy', async () => {
      await s.awaitOutcomes(owedTo(device, 'setting'));
      const policies = device.received.filter((e) => e.seq >= s.since && e.messageType === 'DPE_Group_Policy_Set');
      if (needPolicies && !policies.length) this.fail(`${device.name} received no DPE_Group_Policy_Set to order against its group (clause 8.2.2)`);
      const p = device.state.problems.find((x) => x.seq >= s.since);
      if (p) this.fail(`${device.name}: ${p.message}`, s.trace.entries.filter((e) => e.seq === p.seq));
    });
  }

  /** derived (E13): a registration with nothing changed sends no `*` release. */
  async expectNoReleases(device: MockDevice): Promise<void> {
    const s = this.s;
    await s.check('dc.unchanged-no-releases', async () => {
      await s.quietAfterAction();
      const got = device.received.filter((e) => e.seq >= s.since && RELEASE_MESSAGES.includes(e.messageType));
      if (got.length) this.fail(`${device.name} received ${got.map((e) => `${e.messageType} (#${e.seq})`).join(', ')}: a registration with nothing changed is not a device change (clause 8.2.2)`, got);
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
    s.judgement.settle([...missingSettings(device, x), ...foreignSettings(s, device, x)].map((f) => ({ ...f, requirement: f.requirement === 'dc.unchanged-keeps-settings' || f.requirement.startsWith('dc.set-') ? requirement : f.requirement })));
  }

  /** binding: a device the user left is sent no set (releases are allowed). */
  async expectNoSettingsSentTo(device: MockDevice): Promise<void> {
    const s = this.s;
    await s.quietAfterAction();
    s.judgement.settle(setsAfterLeaving(device, s.oracle.expectationOf(device.name)));
  }

  /** binding: what a device change sends is labelled with the Client ID the registering device was given. */
  async expectAddressedToCurrent(device: MockDevice): Promise<void> {
    const s = this.s;
    await s.check('dc.addressed-to-current-client', async () => {
      await s.awaitOutcomes(owedToDevices);
      const got = device.received.filter((e) => e.seq >= s.since && [...RELEASE_MESSAGES, ...SET_MESSAGES].includes(e.messageType));
      if (!got.length) s.missed(device.name, 'a release or set', { arrivedIf: (e) => e.to === device.name && [...RELEASE_MESSAGES, ...SET_MESSAGES].includes(e.messageType) });
      if (!got.length) this.fail(`${device.name} received no release or set within ${s.deadline} ms, so none to check the DPE-Client-ID of (clause 8.2.2)`);
      const id = s.clientIdOf(device);
      const bad = got.find((e) => e.headers?.['DPE-Client-ID'] !== id);
      if (bad) {
        this.fail(`${bad.messageType} (#${bad.seq}) to ${device.name} is labelled DPE-Client-ID ${JSON.stringify(bad.headers?.['DPE-Client-ID'] ?? null)}, expected ${id}, the Client ID its registration was answered with (binding)`, [bad]);
      }
    });
  }

  /** derived (E31 strict): once settled, the device holds nothing no SP defined for the user. */
  async expectOnlyDefinedSets(device: MockDevice, user: User): Promise<void> {
    const s = this.s;
    await s.awaitOutcomes(owedToDevices);
    await s.trace.quietFor(s.quietMs, s.deadline, s.sinceAt);
    const defined = s.oracle.definitionsOf(user.name);
    s.judgement.settle(
      device.state
        .settings()
        .filter((h) => !defined.some((d) => keyOf(d) === keyOf(h) && sameContent(d.content, h.content)))
        .map((h) => ({ requirement: 'dc.sets-only-defined', message: `${device.name} holds the ${describeSetting(h)}, which no SP defined for ${user.name} (clause 8.2.2)` })),
    );
  }

  /** binding: a group an SP set for the user is held by the device as defined. */
  async expectGroupRelayed(device: MockDevice, groupId: string, properties: string): Promise<void> {
    const s = this.s;
    const want = properties.split(',').map((p) => p.trim()).filter(Boolean);
    await s.check('sp.set-relayed', async () => {
      const holds = () => {
        const g = device.state.get('DPE_Group_Set', groupId);
        return g !== undefined && sameContent(g.content, { Properties: want });
      };
      await s.trace.waitUntil(holds, s.deadline);
      if (!holds()) {
        s.missed(device.name, 'DPE_Group_Set', { detail: `"${groupId}"`, arrivedIf: (e) => e.to === device.name && e.messageType === 'DPE_Group_Set' && body(e)['Group-ID'] === groupId });
        this.fail(
          `${device.name} does not hold the group ${groupId} with ${JSON.stringify(want)} ${s.deadline} ms after it was defined (binding: SP-defined settings are relayed to the user's current clients); ` +
            `it holds ${device.state.describe()}:\n${s.trace.describe((x) => x.to === device.name, s.since)}`,
        );
      }
    });
  }
}
