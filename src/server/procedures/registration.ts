/**
 * 8.1.1 registration and 8.2.2 detection of a device change: the one guarded transition that
 * changes user/device/Client ID associations. The caller has validated the request already,
 * so a rejected registration never reaches this code and changes nothing.
 *
 * Classification (which 8.2.2 use case a registration is) is kept apart from the Client ID
 * policy (6.1, ../client-id-policy.ts): the use case decides what happens to associations, the
 * policy alone decides which Client ID the device is given and which one outlives its user.
 */
import type { ClientIdAssigner } from '../client-id-policy';
import { keepsClientIdWithoutUser } from '../client-id-policy';
import type { Identities } from '../identity';
import { isSingleDeviceUser } from '../identity';
import type { DeviceRecord, ServerState } from '../state';

/** The 8.2.2 use case a registration is, by the requirement id of its bullet; 'unchanged': no device change. */
export type UseCase =
  | 'unchanged'
  | 'dc.usecase.sim-move'
  | 'dc.usecase.identity-change-same-device'
  | 'dc.usecase.multi-device-new-device'
  | 'dc.usecase.new-user-new-device';

export interface RegistrationOutcome {
  clientId: string;
  /** 8.2.2: user identity or device identity changed (incl. a new user on a new device). */
  deviceChange: boolean;
  /** Which of the 8.2.2 use cases it is. */
  useCase?: UseCase;
  /** Users whose associations this registration may have changed (for 8.2.3 reports). */
  affectedUsers: string[];
}

export function register(
  state: ServerState,
  ids: Identities,
  notifyUri: string,
  assign: ClientIdAssigner,
  newId: () => string,
): RegistrationOutcome {
  const { user, device } = ids;
  const before = state.device(device);
  const useCase = classify(state, ids, before);
  const deviceChange = useCase !== 'unchanged';
  const affected = new Set<string>();
  if (user) affected.add(user);
  if (before?.user) affected.add(before.user);

  switch (useCase) {
    case 'unchanged':
      // 8.2.2 (neither identity changed): no device change, so no releases and the client keeps
      // what it holds (dc.unchanged-no-releases, dc.unchanged-keeps-settings). A SIM is in one
      // device at a time even here: one a faulty seam left in another device too leaves it.
      if (user && isSingleDeviceUser(user)) moveSim(state, user, device);
      break;
    case 'dc.usecase.identity-change-same-device':
      // 8.2.2 first bullet, its note: the device's previous user no longer uses it (policy.per-device.previous-user-loses-id)
      if (before?.user && before.user !== user) state.unlink(before.user, device);
      // a SIM taken out of another device into this one is a SIM move as well
      if (user && isSingleDeviceUser(user)) moveSim(state, user, device);
      break;
    case 'dc.usecase.sim-move':
      // 8.2.2 first bullet: a SIM (tel: user) is in one device at a time; registering here moves it
      // here, and the device it left loses its user (dc.previous-device-no-settings)
      moveSim(state, user!, device);
      break;
    case 'dc.usecase.multi-device-new-device':
      // 8.2.2 second bullet: a SIP user's earlier devices stay associated (dc.multi-device.keeps-earlier)
      break;
    case 'dc.usecase.new-user-new-device':
      // 8.2.2 third bullet: neither identity was known, so no association ends
      break;
  }

  const clientId = assign({ state, before, device, user, deviceChange, newId });
  // retained together: user, device and Client ID (reg.retain-association)
  state.putDevice({ device, user, clientId, notifyUri });
  if (user) state.link(user, device);
  return { clientId, deviceChange, useCase, affectedUsers: [...affected] };
}

/** dc.usecase.sim-move: `user`'s SIM leaves every other device it was in. */
function moveSim(state: ServerState, user: string, device: string): void {
  for (const other of state.devicesOf(user)) if (other !== device) detach(state, user, other);
}

/** Ends `user`'s association with `other` the way a SIM move does: the device keeps its Client ID only where the policy says so. */
export function detach(state: ServerState, user: string, other: string): void {
  state.unlink(user, other);
  const rec = state.device(other);
  if (!rec) return;
  state.setUser(other, null);
  if (rec.clientId && !keepsClientIdWithoutUser(state, other, rec.clientId)) state.setClientId(other, null);
}

/**
 * 8.2.2 use cases, from what the server knew before this registration, first match wins:
 * - the device is known with this user (and the user with it): unchanged;
 * - a known device with another user: identity changed on the same device
 *   (first bullet, its note; dc.usecase.identity-change-same-device);
 * - a known user on a device not associated with them: a SIM (tel:) moved to another device
 *   (first bullet; dc.usecase.sim-move), or a multi-device (sip:) user on one more device
 *   (second bullet; dc.usecase.multi-device-new-device);
 * - a known device without a user, an unknown user: identity changed on the same device;
 * - neither known: a new user on a new device (third bullet; dc.usecase.new-user-new-device).
 */
export function classify(state: ServerState, ids: Identities, before: Readonly<DeviceRecord> | undefined): UseCase {
  const { user, device } = ids;
  if (before !== undefined && before.user === user && (user === null || state.hasDevice(user, device))) return 'unchanged';
  if (before && before.user !== null && before.user !== user) return 'dc.usecase.identity-change-same-device';
  if (user && state.knowsUser(user)) return isSingleDeviceUser(user) ? 'dc.usecase.sim-move' : 'dc.usecase.multi-device-new-device';
  return before ? 'dc.usecase.identity-change-same-device' : 'dc.usecase.new-user-new-device';
}
