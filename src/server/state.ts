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

/** A device's association as it was when a transition first changed it (undefined: the device was unknown). */
export type Prior = Readonly<Pick<DeviceRecord, 'user' | 'clientId'>> | undefined;

/**
 * The user -> devices index: one device is kept as the string itself (a tel: user is on one
 * device, so most users cost no Set); null marks a user known to the server who has no device
 * now (8.2.2 tells a known user from a new one).
 */
type UserDevices = string | Set<string> | null;

/**
 * Every lookup a registration makes is by key — device identity, user identity, Client ID — so
 * its cost does not grow with the associations held; nothing here scans all devices. Device
 * records are changed only through the methods below, which keep the indexes and the change
 * journal (recordChanges) in step.
 */
export class ServerState {
  private readonly byDevice = new Map<string, DeviceRecord>();
  /** Client ID -> the device holding it (the reference never gives one ID to two devices). */
  private readonly byClientId = new Map<string, DeviceRecord>();
  private readonly byUser = new Map<string, UserDevices>();
  /** While a transition runs: device -> its association before the transition first changed it. */
  private journal: Map<string, Prior> | undefined;
  /** Device records by device identity; change them through putDevice, setUser, setClientId. */
  get devices(): ReadonlyMap<string, Readonly<DeviceRecord>> {
    return this.byDevice;
  }
  /** Client IDs handed out and never to be handed out again. */
  readonly issuedClientIds = new Set<string>();
  /** per-device policy: the permanent Client ID of each device. */
  readonly permanentIds = new Map<string, string>();
  readonly serviceProviders = new Map<string, ServiceProvider>();
  readonly settings = new Map<string, DefinedSettings>();
  readonly concerned = new Map<string, Set<string>>();
  /** SP isolation: user -> "group:<Group-ID>" or "policy:<Policy-ID>" -> the SP-ID that defined it. */
  readonly owners = new Map<string, Map<string, string>>();

  device(device: string): Readonly<DeviceRecord> | undefined {
    return this.byDevice.get(device);
  }

  /** Creates or replaces the record of `rec.device`. */
  putDevice(rec: DeviceRecord): void {
    const old = this.device(rec.device);
    this.note(rec.device, old);
    // an unchanged Client ID is overwritten in place (indexClientId): V8 makes a delete and
    // re-insert of one key in a Map of a million entries cost tens of microseconds, an overwrite not
    if (old && old.clientId !== rec.clientId) this.unindexClientId(old);
    // a re-registration repeats the Notify-URI: keep the string already held, not a second copy
    const notifyUri = old?.notifyUri === rec.notifyUri ? old.notifyUri : rec.notifyUri;
    const record: DeviceRecord = { device: rec.device, user: rec.user, clientId: rec.clientId, notifyUri };
    this.byDevice.set(rec.device, record);
    this.indexClientId(record);
  }

  setUser(device: string, user: string | null): void {
    const rec = this.byDevice.get(device);
    if (!rec) return;
    this.note(device, rec);
    rec.user = user;
  }

  setClientId(device: string, clientId: string | null): void {
    const rec = this.byDevice.get(device);
    if (!rec) return;
    this.note(device, rec);
    if (rec.clientId !== clientId) this.unindexClientId(rec);
    rec.clientId = clientId;
    this.indexClientId(rec);
  }

  /** Whether the server has associated `user` with a device at some time. */
  knowsUser(user: string): boolean {
    return this.byUser.has(user);
  }

  devicesOf(user: string): string[] {
    const v = this.byUser.get(user);
    return v == null ? [] : typeof v === 'string' ? [v] : [...v];
  }

  hasDevice(user: string, device: string): boolean {
    const v = this.byUser.get(user);
    return v == null ? false : typeof v === 'string' ? v === device : v.has(device);
  }

  /** Associates `device` with `user` (after the user's earlier devices, in order). */
  link(user: string, device: string): void {
    const v = this.byUser.get(user);
    if (v == null) this.byUser.set(user, device);
    else if (typeof v === 'string') {
      if (v !== device) this.byUser.set(user, new Set([v, device]));
    } else v.add(device);
  }

  /** Ends the association of `device` with `user`; the user stays known. */
  unlink(user: string, device: string): void {
    const v = this.byUser.get(user);
    if (v == null) return;
    if (typeof v === 'string') {
      if (v === device) this.byUser.set(user, null);
    } else if (v.delete(device) && v.size === 1) this.byUser.set(user, v.values().next().value as string);
  }

  /** The user's currently valid Client IDs, in registration order. */
  clientIdsOf(user: string): string[] {
    return this.devicesOf(user)
      .map((d) => this.byDevice.get(d)?.clientId)
      .filter((c): c is string => typeof c === 'string');
  }

  deviceByClientId(clientId: string): Readonly<DeviceRecord> | undefined {
    return this.byClientId.get(clientId);
  }

  /**
   * Runs `transition` and returns it with what it changed: each device it wrote, with the
   * association that device had before (for the 8.2.3 reports, without a scan of all devices).
   */
  recordChanges<T>(transition: () => T): { result: T; changed: Map<string, Prior> } {
    const outer = this.journal;
    const changed = new Map<string, Prior>();
    this.journal = changed;
    try {
      return { result: transition(), changed };
    } finally {
      this.journal = outer;
      if (outer) for (const [d, p] of changed) if (!outer.has(d)) outer.set(d, p);
    }
  }

  private note(device: string, rec: DeviceRecord | undefined): void {
    if (this.journal && !this.journal.has(device)) this.journal.set(device, rec && { user: rec.user, clientId: rec.clientId });
  }

  private indexClientId(rec: DeviceRecord): void {
    if (rec.clientId) this.byClientId.set(rec.clientId, rec);
  }

  private unindexClientId(rec: DeviceRecord): void {
    // only a faulty variant gives one Client ID to two devices; the later holder keeps the entry
    if (rec.clientId && this.byClientId.get(rec.clientId) === rec) this.byClientId.delete(rec.clientId);
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
