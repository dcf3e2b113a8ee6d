/**
 * The outcome of features/device-change (8.2.2 and the binding's "Settings follow the user"):
 * what each mock device holds, judged against the oracle once the device change has settled,
 * what is still owed to it (settling waits for that), and how a release's id IE is read under
 * the erratum readings. The checks the steps call are in device-change.ts.
 */
import type { Setting } from '../../../mocks/dpe-state';
import { describeSetting, releasedId as releasedIdOf, sameContent, settingId, settingKey, settingOf } from '../../../mocks/dpe-state';
import { RELEASE_MESSAGES } from '../../catalog/messages';
import { isSetType, received } from '../../catalog/protocol';
import { erratumReading } from '../../requirements/applicability';
import type { Finding } from '../judgement';
import type { DeviceExpectation } from '../device-expectation';
import type { Outcome } from '../settle';
import type { TraceEntry } from '../trace';
import type { DeviceJudgeView, IcsView, JudgedDevice } from './judge-view';

export const keyOf = (s: Setting) => settingKey(s.kind, s.id);

/** The value of a release's id IE, under the table's spelling or (erratum read leniently) the prose's. */
export function releasedId(s: IcsView, e: TraceEntry): unknown {
  const spelling = {
    groupIdHyphen: erratumReading(s.ctx.ics, 'E01') === 'lenient',
    policyIdUnderscore: erratumReading(s.ctx.ics, 'E02') === 'lenient',
  };
  return releasedIdOf(e.messageType === 'DPE_Group_Release' ? 'DPE_Group_Release' : 'DPE_Policy_Release', e.body, spelling);
}

/** Whether a `*` release of `type` reached the device at or after `since`. */
export function wildcardReleaseSince(
  s: IcsView,
  device: Pick<JudgedDevice, 'received'>,
  type: string,
  since: number,
): TraceEntry | undefined {
  return device.received.find((e) => e.seq >= since && e.messageType === type && releasedId(s, e) === '*');
}

/**
 * binding (Timing and order): for one device change both releases reach the client before any
 * set. The first set of the device change made at `since` (labelled with the Client ID that
 * registration was answered with, so a set still on its way from the registration before does not
 * count): once it has arrived, a release of that change not received yet can no longer come in
 * time — its wait is decided, whether the release is missing or comes after the sets.
 */
export function firstSetOfChange(device: Pick<JudgedDevice, 'received' | 'accepted'>, since: number): TraceEntry | undefined {
  const reg = device.accepted.find((r) => r.mark >= since);
  if (!reg) return undefined;
  return device.received.find((e) => e.seq > since && isSetType(e.messageType) && e.headers?.['DPE-Client-ID'] === reg.clientId);
}

/** The `*` releases of `types` a device change owes the device (its expectation's basis says one was made), with what they wait on. */
export function owedReleases(s: IcsView, device: Pick<JudgedDevice, 'name' | 'received' | 'accepted'>, x: DeviceExpectation): Outcome[] {
  if (x.basis !== 'device-change') return [];
  const cause = `device change at #${x.since}`;
  const decidedBy = firstSetOfChange(device, x.since);
  return RELEASE_MESSAGES.filter((t) => !wildcardReleaseSince(s, device, t, x.since)).map((t) => ({
    key: `${device.name}: ${t} "*" (${cause})`,
    kind: 'release' as const,
    device: device.name,
    to: device.name,
    messageType: t,
    detail: '"*"',
    since: x.since,
    ...(decidedBy ? { decidedBy } : {}),
  }));
}

/** What keeps the device's state from meeting its expectation: missing or different required settings. */
export function missingSettings(device: Pick<JudgedDevice, 'name' | 'state'>, x: DeviceExpectation): Array<Finding & { wanted: Setting }> {
  const out: Array<Finding & { wanted: Setting }> = [];
  for (const r of x.required.values()) {
    const held = device.state.get(r.setting.kind, r.setting.id);
    const usecase = x.useCase ? `, use case ${x.useCase}` : '';
    if (!held)
      out.push({
        requirement: r.requirement,
        message: `${device.name} does not hold the ${describeSetting(r.setting)} (${r.why}${usecase}); it holds ${device.state.describe()}`,
        wanted: r.setting,
      });
    else if (!sameContent(held.content, r.setting.content)) {
      out.push({
        requirement: r.requirement,
        message: `${device.name} holds the ${describeSetting(held)}, but it must hold the ${describeSetting(r.setting)} (${r.why})`,
        wanted: r.setting,
      });
    }
  }
  return out;
}

/** Settings the device holds that its expectation does not allow, each with the rule it breaks. */
export function foreignSettings(
  s: Pick<DeviceJudgeView, 'oracle' | 'rejectedSettings'>,
  device: Pick<JudgedDevice, 'name' | 'state'>,
  x: DeviceExpectation,
  /** Sets that reached a left device late from before it was left (trailingSets): what they set may be held. */
  trailing: readonly TraceEntry[] = [],
): Finding[] {
  const out: Finding[] = [];
  const late = trailing.map(setOf);
  for (const held of device.state.settings()) {
    if (x.required.has(keyOf(held))) continue;
    const allowed = x.allowed.get(keyOf(held));
    if (allowed && sameContent(allowed.content, held.content)) continue;
    if (late.some((t) => keyOf(t) === keyOf(held) && sameContent(t.content, held.content))) continue;
    const owner = s.oracle.ownerOf(held, x.user, (a, b) => sameContent(a.content, b.content));
    const what = `${device.name} holds the ${describeSetting(held)}`;
    if (s.rejectedSettings.some((r) => keyOf(r) === keyOf(held) && sameContent(r.content, held.content))) {
      out.push({ requirement: 'binding.rejected-no-state-change', message: `${what}, which only a request the target rejected carried` });
    } else if (owner) {
      out.push({
        requirement: 'sp.relay-current-only',
        message: `${what}, which is ${owner}'s, and ${device.name} is not ${owner}'s device`,
      });
    } else if (x.basis === 'left') {
      out.push({
        requirement: 'dc.previous-device-no-settings',
        message: `${what}: nobody uses it any more, so it may be released, never set`,
      });
    } else if (x.basis === 'unchanged') {
      out.push({
        requirement: 'dc.unchanged-keeps-settings',
        message: `${what}, which it did not hold before a registration that changed nothing`,
      });
    } else if (x.basis === 'unregistered') {
      out.push({ requirement: 'binding.rejected-no-state-change', message: `${what}, though no registration of it was accepted` });
    } else if (!x.anyExtra) {
      out.push({
        requirement: 'dc.sets-only-defined',
        message: `${what}, which no SP defined for ${x.user ?? 'its user'} (E31 read strictly)`,
      });
    }
  }
  return out;
}

/** Every set that reached a device after its user left it (binding: may be released, never set), but those still on their way then. */
export function setsAfterLeaving(
  device: Pick<JudgedDevice, 'name' | 'received'>,
  x: DeviceExpectation,
  trailing: readonly TraceEntry[] = [],
): Finding[] {
  if (x.basis !== 'left') return [];
  return device.received
    .filter((e) => e.seq >= x.since && isSetType(e.messageType) && !trailing.includes(e))
    .map((e) => ({
      requirement: 'dc.previous-device-no-settings',
      message: `${device.name} was sent ${e.messageType} (#${e.seq}) after its user moved to another device`,
      entries: [e],
    }));
}

/**
 * binding: every message to a device is labelled with the Client ID it is for. A set — what the
 * device will hold — carries the ID the device's latest accepted registration before it was
 * answered with (a set may arrive before that answer; it still belongs to that registration).
 * A release or trigger may have been caused earlier (the release of a device a SIM left arrives
 * after that device registered again), so it carries some ID the device was given before it.
 */
export function mislabelled(device: Pick<JudgedDevice, 'name' | 'received' | 'accepted'>, straggler?: Straggling): Finding[] {
  const out: Finding[] = [];
  for (const e of device.received) {
    const before = device.accepted.filter((r) => r.mark < e.seq);
    const reg = before.at(-1);
    const label = e.headers?.['DPE-Client-ID'];
    if (reg && label === reg.clientId) continue;
    if (!isSetType(e.messageType) && before.some((r) => r.clientId === label)) continue;
    if (straggler && sentBeforeRegistration(device, e, before, straggler)) continue;
    out.push({
      requirement: 'dc.addressed-to-current-client',
      message:
        `${e.messageType} (#${e.seq}) to ${device.name} is labelled DPE-Client-ID ${JSON.stringify(label ?? null)}, ` +
        (reg
          ? `but ${device.name}'s registration before it was answered with ${reg.clientId}`
          : `though no registration of ${device.name} had been accepted`),
      entries: [e],
    });
  }
  return out;
}

/** What tells a set still on its way from a mislabelled one (see sentBeforeRegistration). */
export interface Straggling {
  x: DeviceExpectation;
  deadlineMs: number;
  /** Trace time of the entry after a registration's mark. */
  atOf: (seq: number) => number;
}

/**
 * A set the server sent before the device registered again can arrive after that registration
 * (delivery is asynchronous; nothing in the binding holds the answer back for it). It is labelled
 * with the ID of the registration before, it comes within one delivery deadline of the new one and
 * before anything labelled with the new ID (per-destination order: what was sent later cannot
 * overtake it), and it is not one of the settings the new registration owes the device — those
 * must carry the new ID, so a server that labels its sets with the previous ID is still caught
 * (mutant device-change-labelled-with-previous-id).
 */
function sentBeforeRegistration(
  device: Pick<JudgedDevice, 'received'>,
  e: TraceEntry,
  /** The device's accepted registrations before `e`. */
  before: JudgedDevice['accepted'],
  { x, deadlineMs, atOf }: Straggling,
): boolean {
  const [previous, reg] = before.slice(-2);
  if (!previous || !reg || e.headers?.['DPE-Client-ID'] !== previous.clientId) return false;
  if (e.at - atOf(reg.mark) > deadlineMs) return false;
  if (isSetType(e.messageType) && x.required.has(keyOf(setOf(e)))) return false;
  return !device.received.some((m) => m.seq > reg.mark && m.seq < e.seq && m.headers?.['DPE-Client-ID'] === reg.clientId);
}

/**
 * Sets that reached a device after its SIM left it but were on their way before: delivery is
 * asynchronous, and a set a server sent for the device's last registration can arrive after the
 * registration elsewhere that made the device a left one. Such a set comes within one delivery
 * deadline of the leaving, is labelled with the ID of the device's last registration, and is one
 * that registration still owed, or one it let the server add (E31 lenient: a setting no SP
 * defined) — never one the device had already received: a server that sends the user's settings
 * to the device the SIM left is still caught (mutants device-change-also-to-previous-device,
 * relay-also-to-previous-device).
 */
export function trailingSets(
  s: Pick<DeviceJudgeView, 'oracle' | 'trace'>,
  device: Pick<JudgedDevice, 'received' | 'accepted'>,
  x: DeviceExpectation,
  deadlineMs: number,
): TraceEntry[] {
  const before = x.before;
  if (x.basis !== 'left' || !before) return [];
  const leftAt = atOfMark(s, x.since);
  const reg = device.accepted.filter((r) => r.mark < x.since).at(-1);
  const earlier = device.received.filter((e) => e.seq < x.since && isSetType(e.messageType)).map(setOf);
  return device.received.filter((e) => {
    if (e.seq < x.since || !isSetType(e.messageType) || e.at - leftAt > deadlineMs) return false;
    if (!reg || e.headers?.['DPE-Client-ID'] !== reg.clientId) return false;
    const set = setOf(e);
    if (earlier.some((h) => keyOf(h) === keyOf(set) && sameContent(h.content, set.content))) return false;
    const owed = before.required.get(keyOf(set)) ?? before.allowed.get(keyOf(set));
    if (owed) return sameContent('setting' in owed ? owed.setting.content : owed.content, set.content);
    return before.anyExtra && !s.oracle.ownerOf(set, null, (a, b) => sameContent(a.content, b.content));
  });
}

const setOf = (e: TraceEntry): Setting => settingOf(e.messageType as Setting['kind'], received(e.messageType as Setting['kind'], e.body));

/** Trace time of the first entry after `mark` (a registration's request), or 0. */
function atOfMark(s: Pick<DeviceJudgeView, 'trace'>, mark: number): number {
  return s.trace.entries.find((e) => e.seq > mark)?.at ?? 0;
}

/** A device nobody registered (or whose registrations were all rejected) is sent nothing (binding, Rejections). */
export function sentToUnregistered(device: Pick<JudgedDevice, 'name' | 'received'>, x: DeviceExpectation): Finding[] {
  if (x.basis !== 'unregistered' || !device.received.length) return [];
  return [
    {
      requirement: 'binding.rejected-no-state-change',
      message: `${device.name} was sent ${device.received.map((e) => `${e.messageType} (#${e.seq})`).join(', ')}, though no registration of it was accepted (a rejected request causes no message)`,
      entries: device.received,
    },
  ];
}

/** The settled judgement of every device of the scenario. */
export function judgeDevices(s: DeviceJudgeView & { readonly deadline: number }): Finding[] {
  const out: Finding[] = [];
  for (const d of s.allDevices()) {
    const x = s.oracle.expectationOf(d.name);
    const trailing = trailingSets(s, d, x, s.deadline);
    out.push(
      ...sentToUnregistered(d, x),
      ...missingSettings(d, x),
      ...foreignSettings(s, d, x, trailing),
      ...setsAfterLeaving(d, x, trailing),
      ...(x.basis === 'unregistered' ? [] : mislabelled(d, { x, deadlineMs: s.deadline, atOf: (seq) => atOfMark(s, seq) })),
    );
    for (const p of d.state.problems)
      out.push({ requirement: p.requirement, message: `${d.name}: ${p.message}`, entries: s.trace.entries.filter((e) => e.seq === p.seq) });
  }
  return out;
}

/** What is still to arrive at the devices for the model to be met (settling waits for it). */
export function pendingAtDevices(s: DeviceJudgeView): Outcome[] {
  const out: Outcome[] = [];
  for (const d of s.allDevices()) {
    const x = s.oracle.expectationOf(d.name);
    out.push(...owedReleases(s, d, x));
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
        arrivedIf: (e) => e.to === d.name && e.messageType === kind && String(settingId(kind, received(kind, e.body))) === id,
      });
    }
  }
  return out;
}
