/**
 * The DPE state a real client holds: its property groups, property reporting policies and group
 * reporting policies, built by applying every server-to-client message in arrival order, as a
 * client would. The 8.2.2 checks judge this state, not the sequence that produced it (issue 8:
 * outcome over sequence).
 *
 *   DPE_Group_Release   Group_ID "*" clears every group; another value removes that group
 *   DPE_Policy_Release  Policy-ID "*" clears every policy, property and group policies alike
 *   DPE_*_Set           creates or replaces the group or policy of that id
 *
 * A group policy that names a group the client does not hold is applied anyway and recorded as
 * a problem (the policy would report on nothing until the group arrives).
 */
import { SET_MESSAGES } from '../src/catalog/messages';
import type { Received, ReleaseType, SetType } from '../src/catalog/protocol';
import { IE, received } from '../src/catalog/protocol';

/** The kind of a setting: the set message that establishes it (from the catalog). */
export type SettingKind = SetType;
export const SETTING_KINDS: readonly SettingKind[] = SET_MESSAGES;

/** The IEs of any set message as received (each unknown until judged). */
export type SettingIes = Received<'DPE_Group_Set'> & Received<'DPE_Property_Policy_Set'> & Received<'DPE_Group_Policy_Set'>;

/** One group or policy as the client holds it: its kind, id and the IEs that define it. */
export interface Setting {
  kind: SettingKind;
  id: string;
  /** The defining IEs (Properties; Property and Policy; Group-ID and Policy), compared as JSON. */
  content: SettingIes;
}

/** The IEs that define each kind of setting (everything else — Message-ID, Message-Type — is envelope). */
const CONTENT_IES: { readonly [K in SettingKind]: ReadonlyArray<keyof SettingIes> } = {
  DPE_Group_Set: [IE.Properties],
  DPE_Property_Policy_Set: [IE.Property, IE.Policy],
  DPE_Group_Policy_Set: [IE.GroupID, IE.Policy],
};

export const settingKey = (kind: string, id: string): string => `${kind}:${id}`;

/** The id IE of a setting: Group-ID for groups, Policy-ID for policies. */
export function settingId(kind: SettingKind, body: SettingIes): unknown {
  return kind === 'DPE_Group_Set' ? body[IE.GroupID] : body[IE.PolicyID];
}

/** A setting as a set message carries it. */
export function settingOf(kind: SettingKind, body: SettingIes): Setting {
  const content: { -readonly [N in keyof SettingIes]: unknown } = {};
  for (const ie of CONTENT_IES[kind]) content[ie] = body[ie];
  return { kind, id: String(settingId(kind, body)), content };
}

/** Same setting: bags (Properties) compare as sets, everything else as JSON. */
export function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    if (Array.isArray(x) && Array.isArray(y)) {
      const xs = x.map((v) => JSON.stringify(v)).sort();
      const ys = y.map((v) => JSON.stringify(v)).sort();
      if (JSON.stringify(xs) !== JSON.stringify(ys)) return false;
    } else if (JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

export function describeSetting(s: Setting): string {
  const what = { DPE_Group_Set: 'group', DPE_Property_Policy_Set: 'property policy', DPE_Group_Policy_Set: 'group policy' }[s.kind];
  return `${what} "${s.id}" ${JSON.stringify(s.content)}`;
}

/** How the client reads the release IEs: the table's spelling, and the prose's where an erratum is read leniently. */
export interface ReleaseSpelling {
  /** E01 lenient: Group-ID is read where Group_ID is absent. */
  groupIdHyphen: boolean;
  /** E02 lenient: Policy_ID is read where Policy-ID is absent. */
  policyIdUnderscore: boolean;
}

/** The value of a release's id IE (`*` or one id), under the table's spelling or, read leniently, the prose's. */
export function releasedId(messageType: ReleaseType, body: unknown, spelling: ReleaseSpelling): unknown {
  if (messageType === 'DPE_Group_Release') {
    const b = received('DPE_Group_Release', body);
    return IE.Group_ID in b || !spelling.groupIdHyphen ? b[IE.Group_ID] : b[IE.GroupID];
  }
  const b = received('DPE_Policy_Release', body);
  return IE.PolicyID in b || !spelling.policyIdUnderscore ? b[IE.PolicyID] : b[IE.Policy_ID];
}

export interface StateProblem {
  /** seq of the trace entry that caused it. */
  seq: number;
  requirement: string;
  message: string;
}

export class DpeClientState {
  private readonly held = new Map<string, Setting>();
  readonly problems: StateProblem[] = [];

  constructor(private readonly spelling: ReleaseSpelling = { groupIdHyphen: false, policyIdUnderscore: false }) {}

  /** Applies one message the client received; messages that are not releases or sets leave the state alone. */
  apply(messageType: string, body: unknown, seq: number): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
    switch (messageType) {
      case 'DPE_Group_Release':
        this.release(['DPE_Group_Set'], releasedId(messageType, body, this.spelling));
        return;
      case 'DPE_Policy_Release':
        this.release(['DPE_Property_Policy_Set', 'DPE_Group_Policy_Set'], releasedId(messageType, body, this.spelling));
        return;
      case 'DPE_Group_Set':
      case 'DPE_Property_Policy_Set':
      case 'DPE_Group_Policy_Set': {
        const s = settingOf(messageType, received(messageType, body));
        const group = s.content[IE.GroupID];
        if (s.kind === 'DPE_Group_Policy_Set' && !this.held.has(settingKey('DPE_Group_Set', String(group)))) {
          this.problems.push({
            seq,
            requirement: 'dc.order-group-before-policy',
            message: `${messageType} (#${seq}) sets policy "${s.id}" for group ${JSON.stringify(group)}, which the client did not hold then`,
          });
        }
        this.held.set(settingKey(s.kind, s.id), s);
        return;
      }
    }
  }

  private release(kinds: SettingKind[], id: unknown): void {
    for (const [key, s] of this.held) {
      if (kinds.includes(s.kind) && (id === '*' || s.id === id)) this.held.delete(key);
    }
  }

  /** What the client holds now. */
  settings(): Setting[] {
    return [...this.held.values()];
  }

  get(kind: SettingKind, id: string): Setting | undefined {
    return this.held.get(settingKey(kind, id));
  }

  describe(): string {
    const all = this.settings();
    return all.length ? all.map(describeSetting).join('; ') : 'nothing';
  }
}
