/**
 * 8.2.2 Device Change: on a change of user or device identity during registration the server
 * brings the client to the user's current settings. The procedure is a list of steps so that
 * tests and faulty servers (mutants) can replace, drop or reorder one step through this seam.
 */
import type { Malformed, NotificationKey, Unnumbered } from '../../catalog/protocol';
import { IE, unnumbered } from '../../catalog/protocol';
import type { ServerContext } from '../context';
import type { DefinedSettings } from '../state';

/** A server-to-client DPE-1 message before the outbox gives it a Message-ID (or a mutant's malformed one). */
export type ClientMessage = Unnumbered<NotificationKey> | Malformed;

export interface DeviceChangeStep {
  name: string;
  /** The 8.2.2 bullet the step implements. */
  rule: string;
  /** The requirement it fulfils (src/requirements/catalog.ts). */
  requirement: string;
  messages(settings: DefinedSettings | undefined): ClientMessage[];
}

export const releaseAllGroups: DeviceChangeStep = {
  name: 'release-groups',
  requirement: 'dc.release-groups',
  rule: 'reset property groups with DPE_Group_Release, Group_ID "*"',
  // one message says "all" (msg.group-release.wildcard, dc.release-one-message), with the IEs of 6.2.3.3 (msg.group-release.ies)
  messages: () => [unnumbered('DPE_Group_Release', { [IE.Group_ID]: '*' })],
};

export const releaseAllPolicies: DeviceChangeStep = {
  name: 'release-policies',
  requirement: 'dc.release-policies',
  rule: 'reset reporting policies with DPE_Policy_Release, Policy-ID "*"',
  // one message says "all" (msg.policy-release.wildcard), with the IEs of 6.2.6.1 (msg.policy-release.ies)
  messages: () => [unnumbered('DPE_Policy_Release', { [IE.PolicyID]: '*' })],
};

export const setDefinedGroups: DeviceChangeStep = {
  name: 'set-groups',
  requirement: 'dc.set-groups',
  // exactly the defined groups, as defined (dc.sets-only-defined)
  rule: 'establish every defined property group with DPE_Group_Set',
  messages: (s) =>
    [...(s?.groups.values() ?? [])].map((g) =>
      unnumbered('DPE_Group_Set', { [IE.GroupID]: g.groupId, [IE.Properties]: [...g.properties] }),
    ),
};

export const setDefinedPropertyPolicies: DeviceChangeStep = {
  name: 'set-property-policies',
  requirement: 'dc.set-property-policies',
  rule: 'establish every defined property reporting policy with DPE_Property_Policy_Set',
  messages: (s) =>
    [...(s?.propertyPolicies.values() ?? [])].map((p) =>
      unnumbered('DPE_Property_Policy_Set', { [IE.PolicyID]: p.policyId, [IE.Property]: p.property, [IE.Policy]: { ...p.policy } }),
    ),
};

export const setDefinedGroupPolicies: DeviceChangeStep = {
  name: 'set-group-policies',
  requirement: 'dc.set-group-policies',
  rule: 'establish every defined group reporting policy with DPE_Group_Policy_Set',
  messages: (s) =>
    [...(s?.groupPolicies.values() ?? [])].map((p) =>
      unnumbered('DPE_Group_Policy_Set', { [IE.PolicyID]: p.policyId, [IE.GroupID]: p.groupId, [IE.Policy]: { ...p.policy } }),
    ),
};

/**
 * Releases first (dc.order-releases-first, binding): a release of "*" after a set would wipe what
 * was just restored; groups before the policies that name them (dc.order-group-before-policy).
 */
export const DEVICE_CHANGE_STEPS: readonly DeviceChangeStep[] = [
  releaseAllGroups,
  releaseAllPolicies,
  setDefinedGroups,
  setDefinedPropertyPolicies,
  setDefinedGroupPolicies,
];

export function deviceChangeMessages(steps: readonly DeviceChangeStep[], settings: DefinedSettings | undefined): ClientMessage[] {
  return steps.flatMap((s) => s.messages(settings));
}

let batches = 0;

/**
 * The 8.2.2 actions after a registration that was a device change: the releases and the
 * re-establishment of the user's defined settings, queued after the answer so that the client
 * learns its Client ID before messages addressed to it.
 */
export function startDeviceChange(ctx: ServerContext, notifyUri: string, clientId: string, user: string | null): void {
  const settings = user ? ctx.state.settings.get(user) : undefined;
  const batch = `device-change-${++batches}`;
  setImmediate(() => ctx.sendToClient(notifyUri, clientId, deviceChangeMessages(ctx.seams.deviceChangeSteps, settings), batch));
}
