/**
 * 8.1.1 registration and 8.2.2 detection of a device change: the one guarded transition that
 * changes user/device/Client ID associations. The caller has validated the request already,
 * so a rejected registration never reaches this code and changes nothing.
 */
import type { ClientIdAssigner } from './client-id-policy';
import { isSingleDeviceUser, type Identities } from './identity';
import type { ServerState } from './state';

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
  const before = state.devices.get(device);
  const unchanged =
    before !== undefined && before.user === user && (user === null || state.devicesOf(user).includes(device));
  // nothing changed: no device change, so no releases and the client keeps what it holds
  // (dc.unchanged-no-releases, dc.unchanged-keeps-settings)
  const deviceChange = !unchanged;
  const useCase = classify(state, ids, before, unchanged);
  const affected = new Set<string>();
  if (user) affected.add(user);
  if (before?.user) affected.add(before.user);

  // The device's previous user no longer uses it (identity changed on the same device).
  if (before?.user && before.user !== user) state.userDevices.get(before.user)?.delete(device);

  // A SIM (tel: user) is in one device at a time: registering elsewhere moves it here. A SIP
  // user's earlier devices stay associated (dc.multi-device.keeps-earlier).
  if (user && isSingleDeviceUser(user)) {
    for (const other of state.devicesOf(user)) {
      if (other === device) continue;
      state.userDevices.get(user)!.delete(other);
      const rec = state.devices.get(other)!;
      rec.user = null;
      // only the per-device policy keeps a Client ID for a device without its user
      if (rec.clientId && state.permanentIds.get(other) !== rec.clientId) rec.clientId = null;
    }
  }

  const clientId = assign({ state, before, device, user, deviceChange, newId });
  state.devices.set(device, { device, user, clientId, notifyUri });
  if (user) {
    let set = state.userDevices.get(user);
    if (!set) state.userDevices.set(user, (set = new Set()));
    set.add(device);
  }
  return { clientId, deviceChange, useCase, affectedUsers: [...affected] };
}

/**
 * 8.2.2 use cases, from what the server knew before this registration: a known device with
 * another user (identity change on the device, dc.usecase.identity-change-same-device); a known
 * user on a device not associated with them — a SIM (tel:) moves there (dc.usecase.sim-move), a
 * SIP user takes one more device (dc.usecase.multi-device-new-device); neither known
 * (dc.usecase.new-user-new-device).
 */
function classify(state: ServerState, ids: Identities, before: ReturnType<ServerState['devices']['get']>, unchanged: boolean): UseCase {
  if (unchanged) return null;
  const { user } = ids;
  if (before && before.user !== null && before.user !== user) return 'dc.usecase.identity-change-same-device';
  if (user && state.userDevices.has(user)) return isSingleDeviceUser(user) ? 'dc.usecase.sim-move' : 'dc.usecase.multi-device-new-device';
  return before ? 'dc.usecase.identity-change-same-device' : 'dc.usecase.new-user-new-device';
}
