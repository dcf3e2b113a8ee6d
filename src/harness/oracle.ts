/**
 * The oracle: the harness's own model of the truth for one scenario, built from what the steps
 * did and what the target answered — never from the target's internals.
 *
 *   who uses which device   the user each device's last accepted registration associated, and
 *                           which device a SIM (tel:) user left when the SIM moved (binding)
 *   what each device must hold   per device, the settings it must hold and may hold once the
 *                           messages a registration or a definition caused have been delivered
 *                           (binding, "Settings follow the user"; 8.2.2)
 *   what each SP must know  the users each SP is concerned with and their Client IDs when it
 *                           became concerned (binding, Reports; 8.2.3)
 *
 * The shape of a device's expectation and the cases that follow from one event alone live in
 * ./device-expectation.ts; which case applies, and the errata that shape a device change (E24,
 * E31), are read here. The checks of src/harness/areas compare the mock devices' DPE state and
 * the mock SPs' knowledge with this model.
 */
import type { Ics } from '../config/ics';
import { erratumReading } from '../requirements/applicability';
import type { Setting } from '../../mocks/dpe-state';
import type { DeviceExpectation, Required } from './device-expectation';
import { keyOf, left, SET_REQUIREMENT, unchanged, unregistered, useCaseOf } from './device-expectation';

export type UserKind = 'sim' | 'sip';

export interface User {
  name: string;
  identity: string;
  kind: UserKind;
}

export class Oracle {
  readonly users = new Map<string, User>();
  /** Per device name: the identity its last accepted registration associated (null: none). */
  private readonly association = new Map<string, string | null>();
  private readonly expectations = new Map<string, DeviceExpectation>();
  /** Per user name: what SPs defined, latest per kind and id. */
  private readonly defined = new Map<string, Setting[]>();
  /** Per SP alias: user name -> that user's Client IDs when the SP became concerned (binding). */
  private readonly concerned = new Map<string, Map<string, string[]>>();
  /** Every user identity a registration of this scenario associated at some point. */
  private readonly everRegistered = new Set<string>();
  /** Per user name: the trace seqs at which the user's Client IDs changed (8.2.3). */
  private readonly changes = new Map<string, number[]>();
  /** Per SP alias and user name: the trace seq at which the SP became concerned. */
  private readonly concernedAt = new Map<string, number>();
  /** Per device: the Client ID it had when the model last ran a change. */
  private readonly idsSeen = new Map<string, string | undefined>();

  constructor(
    private readonly ics: Ics,
    /** The Client ID each device holds now (from its registration answers). */
    private readonly clientIdOf: (device: string) => string | undefined,
  ) {}

  // ---- who uses which device ---------------------------------------------------------

  userByIdentity(identity: string | null | undefined): User | undefined {
    return identity ? [...this.users.values()].find((u) => u.identity === identity) : undefined;
  }

  associatedIdentity(device: string): string | null | undefined {
    return this.association.get(device);
  }

  /** Devices whose current association is `user` (the user's current clients). */
  devicesOf(userName: string): string[] {
    const id = this.users.get(userName)?.identity;
    return [...this.association].filter(([, u]) => u === id).map(([d]) => d);
  }

  /** The user's Client IDs now, as the model knows them. */
  currentClientIdsOf(userName: string): string[] {
    return this.devicesOf(userName)
      .map((d) => this.clientIdOf(d))
      .filter((x): x is string => x !== undefined);
  }

  /** The device a Client ID belongs to now, and that device's user (for userless reports). */
  deviceWithClientId(clientId: string): string | undefined {
    return [...this.association.keys()].find((d) => this.clientIdOf(d) === clientId);
  }

  /** Whether a registration of `device` by `identity` is a device change in the model (8.2.2). */
  isDeviceChange(device: string, identity: string | null): boolean {
    return !this.association.has(device) || this.association.get(device) !== identity;
  }

  /**
   * Runs a change of associations and notes, per user, whether the user's Client IDs changed.
   * "Before" is what the model last saw: a registration's answer has already given the device its
   * new Client ID when the model hears of it, so a registration that changed nothing but the
   * Client ID (per-registration policy) is a change too (8.2.3).
   */
  private changing(at: number, fn: () => void): void {
    const before = new Map([...this.users.keys()].map((u) => [u, this.clientIdsSeen(u)]));
    fn();
    for (const u of this.users.keys()) {
      const seen = this.changes.get(u) ?? [];
      if (this.currentClientIdsOf(u).sort().join(' ') !== before.get(u) && seen.at(-1) !== at) this.changes.set(u, [...seen, at]);
    }
    for (const d of this.association.keys()) this.idsSeen.set(d, this.clientIdOf(d));
  }

  /** The user's Client IDs as the model last saw them (a device's new ID counts once a change has been run). */
  private clientIdsSeen(userName: string): string {
    return this.devicesOf(userName)
      .map((d) => (this.idsSeen.has(d) ? this.idsSeen.get(d) : this.clientIdOf(d)))
      .filter((x): x is string => x !== undefined)
      .sort()
      .join(' ');
  }

  /** Trace seqs of the changes of the user's Client IDs after `since`. */
  changesOf(userName: string, since = 0): number[] {
    return (this.changes.get(userName) ?? []).filter((at) => at >= since);
  }

  /** A SIM user's SIM left `device` for another one: the device is no longer the user's (binding). */
  simLeft(device: string, at: number, snapshot: Setting[]): void {
    if (!this.association.has(device) || this.association.get(device) === null) return;
    this.changing(at, () => this.association.set(device, null));
    this.expectations.set(device, left(snapshot, at, this.expectations.get(device)));
  }

  /**
   * A registration of `device` was answered with a Client ID. `snapshot` is what the device held
   * when the registration was sent (it must keep it when nothing changed).
   */
  registered(device: string, identity: string | null, at: number, snapshot: Setting[]): void {
    const user = this.userByIdentity(identity);
    const change = this.isDeviceChange(device, identity);
    const userKnown = identity !== null && this.everRegistered.has(identity);
    const deviceKnown = this.association.has(device);
    const firstEver = !deviceKnown && !userKnown;
    // a SIM is in one device at a time: another device it was associated with is left
    if (user?.kind === 'sim') {
      for (const [d, u] of this.association) if (d !== device && u === identity) this.simLeft(d, at, []);
    }
    // one user per device: its previous user is no longer associated with it (policy.per-device.previous-user-loses-id)
    this.changing(at, () => this.association.set(device, identity));
    if (identity) this.everRegistered.add(identity);
    const prev = this.expectations.get(device);
    if (!change && prev && prev.basis !== 'unregistered' && prev.basis !== 'left') {
      this.expectations.set(device, unchanged(prev, snapshot, at));
      return;
    }
    // deviceKnown was read before this registration's association was set: after it, every device is known
    const useCase = useCaseOf(prev, user, userKnown, deviceKnown);
    const defs = user ? this.definitionsOf(user.name) : [];
    const open = firstEver && erratumReading(this.ics, 'E24') === 'lenient';
    const allDefined = this.ics.restoredSettings === 'all-defined' && !open;
    this.expectations.set(device, {
      basis: open ? 'first-registration' : 'device-change',
      user: user?.name ?? null,
      required: new Map(
        allDefined
          ? defs.map((s): [string, Required] => [
              keyOf(s),
              {
                setting: s,
                requirement: SET_REQUIREMENT[s.kind],
                why: `it is defined for ${user!.name} and this registration was a device change`,
              },
            ])
          : [],
      ),
      allowed: new Map(defs.map((s) => [keyOf(s), s])),
      anyExtra: erratumReading(this.ics, 'E31') === 'lenient',
      since: at,
      useCase,
    });
  }

  /**
   * Whether a registration since `since` leaves the server free to send more than the model
   * predicts — sets it chose (restoredSettings subset, E31 lenient), releases on a first
   * registration (E24 lenient), revalidation after a registration that changed nothing — so
   * that the next action waits for a quiet period first.
   */
  mayTrail(since: number): boolean {
    return [...this.expectations.values()].some(
      (x) =>
        x.since >= since && (x.basis === 'unchanged' || x.basis === 'first-registration' || x.anyExtra || x.allowed.size > x.required.size),
    );
  }

  expectationOf(device: string): DeviceExpectation {
    return this.expectations.get(device) ?? unregistered();
  }

  // ---- what SPs defined and who they are concerned with --------------------------------

  /** An SP's definition was accepted: it is the user's, and the user's current clients must get it. */
  definedFor(userName: string, s: Setting): void {
    const list = (this.defined.get(userName) ?? []).filter((x) => keyOf(x) !== keyOf(s));
    this.defined.set(userName, [...list, s]);
    for (const d of this.devicesOf(userName)) {
      const x = this.expectations.get(d);
      if (!x) continue;
      x.required.set(keyOf(s), {
        setting: s,
        requirement: 'sp.set-relayed',
        why: `the SP defined it for ${userName}, whose device this is`,
      });
      x.allowed.set(keyOf(s), s);
    }
  }

  definitionsOf(userName: string): Setting[] {
    return this.defined.get(userName) ?? [];
  }

  /** The user (other than `except`) a setting with this content was defined for, if any. */
  ownerOf(s: Setting, except: string | null, same: (a: Setting, b: Setting) => boolean): string | undefined {
    for (const [user, list] of this.defined) if (user !== except && list.some((d) => keyOf(d) === keyOf(s) && same(d, s))) return user;
    return undefined;
  }

  markConcerned(alias: string, userName: string, at: number): void {
    let m = this.concerned.get(alias);
    if (!m) this.concerned.set(alias, (m = new Map()));
    if (!m.has(userName)) {
      m.set(userName, this.currentClientIdsOf(userName));
      this.concernedAt.set(`${alias}\u0000${userName}`, at);
    }
  }

  /** A request that would have made `alias` concerned was rejected: it is not (binding, Errors). */
  forgetConcern(alias: string, userName: string): void {
    this.concerned.get(alias)?.delete(userName);
    this.concernedAt.delete(`${alias}\u0000${userName}`);
  }

  /** The trace seq at which `alias` became concerned with the user. */
  concernedSince(alias: string, userName: string): number | undefined {
    return this.concernedAt.get(`${alias}\u0000${userName}`);
  }

  isConcerned(alias: string, userName: string): boolean {
    return this.concerned.get(alias)?.has(userName) ?? false;
  }

  /** The user's Client IDs when `alias` became concerned with the user. */
  idsWhenConcerned(alias: string, userName: string): string[] | undefined {
    return this.concerned.get(alias)?.get(userName);
  }

  /** Every device the model knows about. */
  devices(): string[] {
    return [...new Set([...this.association.keys(), ...this.expectations.keys()])];
  }
}
