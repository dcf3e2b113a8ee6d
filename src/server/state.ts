/**
 * What the reference server retains (8.1.1): which user identity uses which device identity
 * under which Client ID; the SPs; the groups and policies SPs defined for each user; which SPs
 * are concerned with which user (binding: queried or defined something for the user).
 */
import type { Policy } from './settings';
import { sameSecret } from './security';

export interface DeviceRecord {
  device: string;
  /** Current user of the device (one SIM per device); null when it registered without one. */
  user: string | null;
  /** Client ID currently valid for this device, null when none. */
  clientId: string | null;
  notifyUri: string;
}

export interface ServiceProvider {
  spId: string;
  token: string;
  notifyUri: string;
}

export interface GroupDef {
  groupId: string;
  properties: string[];
}
export interface PropertyPolicyDef {
  policyId: string;
  property: string;
  policy: Policy;
}
export interface GroupPolicyDef {
  policyId: string;
  groupId: string;
  policy: Policy;
}

/** Groups and policies SPs defined for one user (kept in definition order). */
export interface DefinedSettings {
  groups: Map<string, GroupDef>;
  propertyPolicies: Map<string, PropertyPolicyDef>;
  groupPolicies: Map<string, GroupPolicyDef>;
}

export class ServerState {
  readonly devices = new Map<string, DeviceRecord>();
  /** user -> devices currently associated with the user */
  readonly userDevices = new Map<string, Set<string>>();
  /** Client IDs handed out and never to be handed out again. */
  readonly issuedClientIds = new Set<string>();
  /** per-device policy: the permanent Client ID of each device. */
  readonly permanentIds = new Map<string, string>();
  readonly serviceProviders = new Map<string, ServiceProvider>();
  readonly settings = new Map<string, DefinedSettings>();
  readonly concerned = new Map<string, Set<string>>();
  /** SP isolation: user -> "group:<Group-ID>" or "policy:<Policy-ID>" -> the SP-ID that defined it. */
  readonly owners = new Map<string, Map<string, string>>();

  devicesOf(user: string): string[] {
    return [...(this.userDevices.get(user) ?? [])];
  }

  /** The user's currently valid Client IDs, in registration order. */
  clientIdsOf(user: string): string[] {
    return this.devicesOf(user)
      .map((d) => this.devices.get(d)?.clientId)
      .filter((c): c is string => typeof c === 'string');
  }

  deviceByClientId(clientId: string): DeviceRecord | undefined {
    for (const d of this.devices.values()) if (d.clientId === clientId) return d;
    return undefined;
  }

  settingsOf(user: string): DefinedSettings {
    let s = this.settings.get(user);
    if (!s) {
      s = { groups: new Map(), propertyPolicies: new Map(), groupPolicies: new Map() };
      this.settings.set(user, s);
    }
    return s;
  }

  markConcerned(user: string, spId: string): void {
    let s = this.concerned.get(user);
    if (!s) this.concerned.set(user, (s = new Set()));
    s.add(spId);
  }

  concernedWith(user: string): ServiceProvider[] {
    return [...(this.concerned.get(user) ?? [])]
      .map((id) => this.serviceProviders.get(id))
      .filter((sp): sp is ServiceProvider => sp !== undefined);
  }

  /** The SP holding `token`; every SP's token is compared, each in constant time. */
  spByToken(token: string): ServiceProvider | undefined {
    let found: ServiceProvider | undefined;
    for (const sp of this.serviceProviders.values()) if (sameSecret(sp.token, token) && !found) found = sp;
    return found;
  }

  ownerOf(user: string, key: string): string | undefined {
    return this.owners.get(user)?.get(key);
  }

  setOwner(user: string, key: string, spId: string): void {
    let m = this.owners.get(user);
    if (!m) this.owners.set(user, (m = new Map()));
    m.set(key, spId);
  }
}
