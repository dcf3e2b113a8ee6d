/**
 * 8.1.1 registration and 8.2.2 detection of a device change: the one guarded transition that
 * changes user/device/Client ID associations. The caller has validated the request already,
 * so a rejected registration never reaches this code and changes nothing.
 */
import type { ClientIdAssigner } from './client-id-policy';
import { isSingleDeviceUser, type Identities } from './identity';
import type { DeviceRecord, ServerState } from './state';

/** The 8.2.2 use case a registration is, by the requirement id of its bullet; null: nothing changed. */
export type UseCase =
  | 'dc.usecase.sim-move'
  | 'dc.usecase.identity-change-same-device'
  | 'dc.usecase.multi-device-new-device'
  | 'dc.usecase.new-user-new-device'
  | null;

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
  const unchanged = before !== undefined && before.user === user && (user === null || state.hasDevice(user, device));
  // nothing changed: no device change, so no releases and the client keeps what it holds
  // (dc.unchanged-no-releases, dc.unchanged-keeps-settings)
  const deviceChange = !unchanged;
  const useCase = classify(state, ids, before, unchanged);
  const affected = new Set<string>();
  if (user) affected.add(user);
  if (before?.user) affected.add(before.user);

  // The device's previous user no longer uses it (identity changed on the same device).
  if (before?.user && before.user !== user) state.unlink(before.user, device);

  // A SIM (tel: user) is in one device at a time: registering elsewhere moves it here. A SIP
  // user's earlier devices stay associated (dc.multi-device.keeps-earlier).
  if (user && isSingleDeviceUser(user)) {
    for (const other of state.devicesOf(user)) if (other !== device) detach(state, user, other);
  }

  const clientId = assign({ state, before, device, user, deviceChange, newId });
  state.putDevice({ device, user, clientId, notifyUri });
  if (user) state.link(user, device);
  return { clientId, deviceChange, useCase, affectedUsers: [...affected] };
}

/** Ends `user`'s association with `other` the way a SIM move does: only the per-device policy keeps a Client ID for a device without its user. */
export function detach(state: ServerState, user: string, other: string): void {
  state.unlink(user, other);
  const rec = state.device(other);
  if (!rec) return;
  state.setUser(other, null);
  if (rec.clientId && state.permanentIds.get(other) !== rec.clientId) state.setClientId(other, null);
}

/**
 * 8.2.2 use cases, from what the server knew before this registration: a known device with
 * another user (identity change on the device, dc.usecase.identity-change-same-device); a known
 * user on a device not associated with them — a SIM (tel:) moves there (dc.usecase.sim-move), a
 * SIP user takes one more device (dc.usecase.multi-device-new-device); neither known
 * (dc.usecase.new-user-new-device).
 */
function classify(state: ServerState, ids: Identities, before: Readonly<DeviceRecord> | undefined, unchanged: boolean): UseCase {
  if (unchanged) return null;
  const { user } = ids;
  if (before && before.user !== null && before.user !== user) return 'dc.usecase.identity-change-same-device';
  if (user && state.knowsUser(user)) return isSingleDeviceUser(user) ? 'dc.usecase.sim-move' : 'dc.usecase.multi-device-new-device';
  return before ? 'dc.usecase.identity-change-same-device' : 'dc.usecase.new-user-new-device';
}
