/**
 * 6.1: the three Client ID assignment policies. Each decides the Client ID of a registering
 * device; new IDs never repeat an earlier one, which avoids conflict with earlier allocated
 * Client IDs (8.2.2, first bullet).
 */
import type { ClientIdPolicy } from '../config/ics';
import type { DeviceRecord, ServerState } from './state';

export interface AssignmentInput {
  state: ServerState;
  /** The device record before this registration (undefined: never seen). */
  before: Readonly<DeviceRecord> | undefined;
  device: string;
  /** The registering user identity (null: none). */
  user: string | null;
  /** true when user or device identity changed (8.2.2). */
  deviceChange: boolean;
  newId: () => string;
}

export type ClientIdAssigner = (input: AssignmentInput) => string;

export const ASSIGNERS: Record<ClientIdPolicy, ClientIdAssigner> = {
  // a fresh Client ID for every registration (policy.per-registration.new-id)
  'per-registration': ({ newId }) => newId(),
  // one Client ID per user-and-device pair, valid while neither identity changes (policy.per-user-and-device.same-id,
  // policy.per-user-and-device.new-id-on-change)
  // a device change gets an ID no device was given before (dc.new-client-id, reg.client-id-unique)
  'per-user-and-device': ({ before, deviceChange, newId }) => (!deviceChange && before?.clientId ? before.clientId : newId()),
  // one Client ID per device, forever, whoever uses it (policy.per-device.keeps-id)
  'per-device': ({ state, device, newId }) => {
    let id = state.permanentIds.get(device);
    if (!id) state.permanentIds.set(device, (id = newId()));
    return id;
  },
};

/**
 * Whether a device keeps `clientId` when its user leaves it (a SIM moved away, 8.2.2): only a
 * per-device Client ID outlives the device's user (policy.per-device.keeps-id); under the other
 * policies the Client ID was the user's on that device and ends with the association.
 */
export function keepsClientIdWithoutUser(state: ServerState, device: string, clientId: string): boolean {
  return state.permanentIds.get(device) === clientId;
}
