// In-memory state. 8.1.1: the server retains user identity, device identity and Client ID
// together; 6.1: a Client ID is a unique identifier assigned by the server (never reused).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Flags, GroupDef, GroupPolicyDef, PropertyPolicyDef, SpConfig } from './types';

export interface DeviceRec {
  key: string;
  notifyUri: string;
  /** The Client ID this device currently holds validly; null when it holds none. */
  clientId: string | null;
  /** The device's current user (one at a time); null for a device without one. */
  user: string | null;
  everUsers: Set<string>;
  /** A DPE_Registration_Trigger was sent and the device has not registered since. */
  triggered: boolean;
}

export interface UserRec {
  id: string;
  /** Devices currently associated with the user, in the order they were associated. */
  devices: string[];
  registered: boolean;
  everDevices: Set<string>;
  formerIds: string[];
  groups: Map<string, GroupDef>;
  propertyPolicies: Map<string, PropertyPolicyDef>;
  groupPolicies: Map<string, GroupPolicyDef>;
  /** SPs concerned with the user (binding: queried or defined something), in order. */
  concerned: string[];
  reportedTo: Set<string>;
}

export class Store {
  readonly sps = new Map<string, SpConfig>();
  private readonly tokens = new Map<string, string>();
  readonly devices = new Map<string, DeviceRec>();
  readonly users = new Map<string, UserRec>();
  private readonly issued = new Set<string>();
  private readonly holders = new Map<string, string>();
  /** Last Client ID of each user/device pair (freedom restore-earlier-pair-id, E09). */
  private readonly pairIds = new Map<string, string>();
  private readonly recyclable: string[] = [];

  constructor(private readonly flags: Flags) {}

  onboard(sp: SpConfig): void {
    const old = this.sps.get(sp.spId);
    if (old && old.token !== sp.token && !this.flags.faulty('stale-token-after-reonboard')) this.tokens.delete(old.token);
    this.sps.set(sp.spId, { ...sp });
    this.tokens.set(sp.token, sp.spId);
  }

  tokenOwner(token: string): string | undefined { return this.tokens.get(token); }
  knownTokens(): string[] { return [...this.tokens.keys()]; }

  user(id: string): UserRec {
    let u = this.users.get(id);
    if (!u) {
      u = { id, devices: [], registered: false, everDevices: new Set(), formerIds: [], groups: new Map(),
        propertyPolicies: new Map(), groupPolicies: new Map(), concerned: [], reportedTo: new Set() };
      this.users.set(id, u);
    }
    return u;
  }

  device(key: string, notifyUri: string): DeviceRec {
    let d = this.devices.get(key);
    if (!d) {
      d = { key, notifyUri, clientId: null, user: null, everUsers: new Set(), triggered: false };
      this.devices.set(key, d);
    }
    return d;
  }

  /** Client IDs currently valid for a user: those of its current devices. */
  idsOf(userId: string | null): string[] {
    if (userId === null) return [];
    const u = this.users.get(userId);
    if (!u) return [];
    return u.devices.map((k) => this.devices.get(k)?.clientId).filter((id): id is string => typeof id === 'string');
  }

  deviceHolding(clientId: string): DeviceRec | undefined {
    const key = this.holders.get(clientId);
    return key === undefined ? undefined : this.devices.get(key);
  }

  concern(user: UserRec, spId: string): void {
    if (user.concerned.includes(spId)) return;
    if (this.flags.faulty('concern-sticks-to-first-sp') && user.concerned.length > 0) return;
    user.concerned.push(spId);
  }

  /** Gives the device a Client ID (new, or one restored for the pair) and retires its old one. */
  assign(dev: DeviceRec, id: string): void {
    if (dev.clientId !== null && dev.clientId !== id) this.retire(dev.clientId);
    dev.clientId = id;
    this.holders.set(id, dev.key);
    if (dev.user !== null) this.pairIds.set(pairKey(dev.user, dev.key), id);
  }

  /** The Client ID stops being valid for anyone (it is never handed out again). */
  retire(id: string): void {
    const key = this.holders.get(id);
    if (key !== undefined) {
      const d = this.devices.get(key);
      if (d && d.clientId === id) d.clientId = null;
      this.holders.delete(id);
    }
    this.recyclable.push(id);
  }

  /** The ID stays valid for its device but no longer has a user (per-device, E52). */
  orphaned(id: string): void { this.recyclable.push(id); }

  earlierPairId(user: string, device: string): string | undefined {
    const id = this.pairIds.get(pairKey(user, device));
    return id !== undefined && !this.holders.has(id) ? id : undefined;
  }

  newClientId(): string {
    if (this.flags.faulty('client-id-reuse') && this.recyclable.length > 0) return this.recyclable.shift() as string;
    for (;;) {
      const id = this.flags.free('uuid-client-ids') ? randomUUID() : `cid-${randomBytes(6).toString('hex')}`;
      if (!this.issued.has(id)) { this.issued.add(id); return id; }
    }
  }
}

function pairKey(user: string, device: string): string { return `${user}\u0000${device}`; }
