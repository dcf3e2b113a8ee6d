/**
 * Identity resolution for a registration (8.1.1): identities come from the request IEs or,
 * where the implementation allows it, from the network (simulated by X-DPE-* headers).
 * The client's IP address is never an identity (8.1.1 note): a new or shared address changes no
 * device (reg.ip-change-not-device-change, reg.shared-ip-distinct-devices).
 */
import type { Received } from '../catalog/protocol';
import { IE } from '../catalog/protocol';
import { DpeError } from './errors';

export interface Identities {
  /** null: a device registering without a user identity (e.g. no SIM). */
  user: string | null;
  device: string;
}

/** binding: a tel: (MSISDN) user lives on one SIM, so on one device at a time; sip: users may be on several. */
export function isSingleDeviceUser(user: string): boolean {
  return user.toLowerCase().startsWith('tel:');
}

export type IdentityResolver = (
  body: Received<'DPE_Registration_Request'>,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  opts: { networkIdentityHeaders: boolean },
) => Identities;

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
  // reg.no-identity-rejected: neither identity known, so nothing is associated
  if (!user && !device) {
    throw new DpeError(
      'MISSING_IDENTITY',
      'DPE_Registration_Request: neither a user identity nor a device identity is given in the IEs or by the network (clause 8.1.1)',
    );
  }
  if (!device) {
    // Without a device identity no device change can be detected (8.2.2); docs/errata.md.
    throw new DpeError(
      'MISSING_IDENTITY',
      'DPE_Registration_Request: no device identity in the IE or from the network; it is needed to retain the association (clause 8.1.1)',
      IE.DeviceIdentity,
    );
  }
  // a device identity alone is enough (reg.single-identity-accepted, E17)
  return { user: user ?? null, device };
};
