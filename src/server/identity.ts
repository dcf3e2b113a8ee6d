/**
 * Identity resolution for a registration (8.1.1): identities come from the request IEs or,
 * where the implementation allows it, from the network (simulated by X-DPE-* headers).
 * One identity is enough (erratum E17, read strictly; the binding rejects only a request naming
 * neither): a registration without a device identity is placed on the user's current device
 * (placeDevice), so that a missing identity is never taken for a changed one.
 * The client's IP address is never an identity (8.1.1 note): a new or shared address changes no
 * device (reg.ip-change-not-device-change, reg.shared-ip-distinct-devices).
 */
import { randomUUID } from 'node:crypto';
import type { Received } from '../catalog/protocol';
import { IE } from '../catalog/protocol';
import { DpeError } from './errors';
import type { ServerState } from './state';

/** The identities a registration is processed under: the device is always known by then (placeDevice). */
export interface Identities {
  /** null: a device registering without a user identity (e.g. no SIM). */
  user: string | null;
  device: string;
}

/** What the request and the network name: at least one of the two (reg.no-identity-rejected); device null: user-only. */
export type NamedIdentities = { user: string; device: null } | { user: string | null; device: string };

/** binding: a tel: (MSISDN) user lives on one SIM, so on one device at a time; sip: users may be on several. */
export function isSingleDeviceUser(user: string): boolean {
  return user.toLowerCase().startsWith('tel:');
}

export type IdentityResolver = (
  body: Received<'DPE_Registration_Request'>,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  opts: { networkIdentityHeaders: boolean },
) => NamedIdentities;

const header = (h: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined => {
  const v = h[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() ? s.trim() : undefined;
};

export const resolveIdentities: IdentityResolver = (body, headers, opts) => {
  const fromIe = (ie: typeof IE.UserIdentity | typeof IE.DeviceIdentity) => {
    const v = body[ie];
    return typeof v === 'string' ? v : undefined;
  };
  const net = opts.networkIdentityHeaders;
  // the IE when present (reg.identity-from-request), the network's header only when the IE is absent
  // (reg.identity-from-network, reg.identity-ie-over-header)
  const user = fromIe(IE.UserIdentity) ?? (net ? header(headers, 'x-dpe-user-identity') : undefined);
  const device = fromIe(IE.DeviceIdentity) ?? (net ? header(headers, 'x-dpe-device-identity') : undefined);
  if (device) return { user: user ?? null, device };
  if (user) return { user, device: null };
  // reg.no-identity-rejected: neither identity known, so nothing is associated
  throw new DpeError(
    'MISSING_IDENTITY',
    'DPE_Registration_Request: neither a user identity (IE User-Identity) nor a device identity (IE Device-Identity) is given in the IEs or by the network (clause 8.1.1)',
  );
};

/**
 * The device a registration comes from. Device-only and both: the named device. User-only
 * (reg.single-identity-accepted, E17): the user's device holding the Client ID the request
 * presents; else the device the user was last associated with (a missing device identity is
 * not a new device); else, for a user on no device, a device of its own under a random key
 * (the binding lets any string be a Device-Identity, so no fixed key is safe from a client's).
 */
export function placeDevice(state: ServerState, named: NamedIdentities, presentedClientId: unknown): Identities {
  if (named.device !== null) return { user: named.user, device: named.device };
  const { user } = named;
  const holder = typeof presentedClientId === 'string' ? state.deviceByClientId(presentedClientId) : undefined;
  if (holder && holder.user === user && state.hasDevice(user, holder.device)) return { user, device: holder.device };
  const last = state.devicesOf(user).at(-1);
  return { user, device: last ?? `${USER_ONLY_DEVICE}${randomUUID()}` };
}

/** Prefix of the device key of a user registering without a device identity on no known device. */
export const USER_ONLY_DEVICE = '\u0000user-only:';
