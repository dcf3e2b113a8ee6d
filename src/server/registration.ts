/**
 * 8.1.1 registration and 8.2.2 detection of a device change: the one guarded transition that
 * changes user/device/Client ID associations. The caller has validated the request already,
 * so a rejected registration never reaches this code and changes nothing.
 */
import type { ClientIdAssigner } from './client-id-policy';
import { isSingleDeviceUser, type Identities } from './identity';
import type { ServerState } from './state';

export interface RegistrationOutcome {
  clientId: string;
  /** 8.2.2: user identity or device identity changed (incl. a new user on a new device). */
  deviceChange: boolean;
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
  const deviceChange = !unchanged;
  const affected = new Set<string>();
  if (user) affected.add(user);
  if (before?.user) affected.add(before.user);

  // The device's previous user no longer uses it (identity changed on the same device).
  if (before?.user && before.user !== user) state.userDevices.get(before.user)?.delete(device);

  // A SIM (tel: user) is in one device at a time: registering elsewhere moves it here.
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
  return { clientId, deviceChange, affectedUsers: [...affected] };
}
