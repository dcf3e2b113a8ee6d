/**
 * What a device must hold and may hold, as the oracle (./oracle.ts) predicts it: the shape of a
 * device's expectation, why it holds (its basis), the requirement each required setting serves,
 * and the expectations that follow from one event alone — a device never registered, a device
 * its SIM left, a re-registration that changed nothing — plus which 8.2.2 use case a device
 * change is. The oracle decides which one applies and reads the errata that shape the rest.
 */
import type { Setting, SettingKind } from '../../mocks/dpe-state';
import { settingKey } from '../../mocks/dpe-state';
import type { User } from './oracle';

/** Why a device must hold what it must hold. */
export type Basis =
  /** never had a registration accepted: the server has no business sending it anything */
  | 'unregistered'
  /** its last registration was a device change (8.2.2) */
  | 'device-change'
  /** first registration of a new user on a new device, which E24 read leniently leaves open */
  | 'first-registration'
  /** re-registered with the same user: keeps what it held (binding) */
  | 'unchanged'
  /** its user moved on (a SIM moved to another device): it may be released, never set (binding) */
  | 'left';

/** A setting the device must hold, with the requirement that demands it. */
export interface Required {
  setting: Setting;
  requirement: string;
  why: string;
}

export interface DeviceExpectation {
  basis: Basis;
  /** Name of the user whose device it is (null: none). */
  user: string | null;
  required: Map<string, Required>;
  /** Settings it may hold beyond the required ones (with this content). */
  allowed: Map<string, Setting>;
  /** E31 read leniently: server-chosen settings are tolerated after a device change. */
  anyExtra: boolean;
  /** Trace seq from which this expectation holds (a set to a 'left' device after it fails). */
  since: number;
  /** For a device change: which 8.2.2 use case the model sees in it (a requirement id). */
  useCase?: string;
  /** A left device: the expectation it had when its SIM left — what that one still owed, or let the server add, may arrive late. */
  before?: DeviceExpectation;
}

/** The requirement each kind of set serves on a device change (8.2.2 action bullets 4–6). */
export const SET_REQUIREMENT: Record<SettingKind, string> = {
  DPE_Group_Set: 'dc.set-groups',
  DPE_Property_Policy_Set: 'dc.set-property-policies',
  DPE_Group_Policy_Set: 'dc.set-group-policies',
};

/** A setting's key: its kind and id (a later definition of the same key replaces the earlier). */
export const keyOf = (s: Setting): string => settingKey(s.kind, s.id);

/** A device no registration was accepted for: it must hold nothing and be sent nothing. */
export function unregistered(): DeviceExpectation {
  return { basis: 'unregistered', user: null, required: new Map(), allowed: new Map(), anyExtra: false, since: 0 };
}

/** A device its SIM left at `at`: it may keep what it held (`snapshot`) or have it released, never get more (binding). */
export function left(snapshot: Setting[], at: number, before?: DeviceExpectation): DeviceExpectation {
  return {
    basis: 'left',
    user: null,
    required: new Map(),
    allowed: new Map(snapshot.map((s) => [keyOf(s), s])),
    anyExtra: false,
    since: at,
    ...(before ? { before } : {}),
  };
}

/**
 * A registration at `at` that changed nothing (same user on the same device): the device keeps
 * what it held when the registration was sent (`snapshot`) besides what `prev` required (binding).
 */
export function unchanged(prev: DeviceExpectation, snapshot: Setting[], at: number): DeviceExpectation {
  const held = new Map(
    snapshot.map((s): [string, Required] => [
      keyOf(s),
      { setting: s, requirement: 'dc.unchanged-keeps-settings', why: 'it held it before a registration that changed nothing' },
    ]),
  );
  return {
    ...prev,
    basis: 'unchanged',
    required: new Map([...held, ...prev.required]),
    allowed: new Map([...prev.allowed, ...snapshot.map((s): [string, Setting] => [keyOf(s), s])]),
    since: at,
  };
}

/**
 * Which 8.2.2 use case a device change is (a requirement id). `prev` is the device's expectation
 * before the registration, `user` the registering user; `userKnown` and `deviceKnown` say whether
 * a registration of this scenario associated the user, or the device, before this one.
 */
export function useCaseOf(prev: DeviceExpectation | undefined, user: User | undefined, userKnown: boolean, deviceKnown: boolean): string {
  if (prev && prev.user !== null && prev.user !== user?.name) return 'dc.usecase.identity-change-same-device';
  if (userKnown) return user?.kind === 'sip' ? 'dc.usecase.multi-device-new-device' : 'dc.usecase.sim-move';
  return deviceKnown ? 'dc.usecase.identity-change-same-device' : 'dc.usecase.new-user-new-device';
}
