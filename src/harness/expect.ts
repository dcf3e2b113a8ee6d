/**
 * Checks over recorded messages: pure functions of trace entries, so they are unit-tested
 * apart from any server. Each failure names the message, the IE and the clause.
 */
import type { TraceEntry } from './trace';

export class ConformanceFailure extends Error {
  constructor(
    message: string,
    /** Trace entries the failure is about (highlighted in the sequence chart). */
    readonly entries: TraceEntry[] = [],
  ) {
    super(message);
    this.name = 'ConformanceFailure';
  }
}

export type Body = Record<string, unknown>;
export const bodyOf = (e: TraceEntry): Body => (e.body ?? {}) as Body;

/** Group_ID of a DPE_Group_Release, under either spelling where erratum E01 is read leniently. */
export function releasedGroup(e: TraceEntry, lenient: boolean): unknown {
  const b = bodyOf(e);
  return 'Group_ID' in b || !lenient ? b['Group_ID'] : b['Group-ID'];
}

export function releasedPolicy(e: TraceEntry, lenient: boolean): unknown {
  const b = bodyOf(e);
  return 'Policy-ID' in b || !lenient ? b['Policy-ID'] : b['Policy_ID'];
}

const RELEASES = new Set(['DPE_Group_Release', 'DPE_Policy_Release']);
const SETS = new Set(['DPE_Group_Set', 'DPE_Property_Policy_Set', 'DPE_Group_Policy_Set']);

/** derived from 8.2.2: every release of one device change reaches the client before any set. */
export function checkReleasesBeforeSets(entries: TraceEntry[]): void {
  const firstSet = entries.find((e) => SETS.has(e.messageType));
  const lateRelease = firstSet && entries.find((e) => RELEASES.has(e.messageType) && e.seq > firstSet.seq);
  if (firstSet && lateRelease) {
    throw new ConformanceFailure(
      `${lateRelease.messageType} (#${lateRelease.seq}) reached ${lateRelease.to} after ${firstSet.messageType} (#${firstSet.seq}): ` +
        'a release of "*" after a set wipes what was just restored (clause 8.2.2, releases before sets)',
      [lateRelease, firstSet],
    );
  }
}

/** A group policy is only meaningful once its group is set (derived from 8.2.2). */
export function checkGroupBeforeItsPolicy(entries: TraceEntry[]): void {
  for (const p of entries.filter((e) => e.messageType === 'DPE_Group_Policy_Set')) {
    const group = bodyOf(p)['Group-ID'];
    const set = entries.find((e) => e.messageType === 'DPE_Group_Set' && bodyOf(e)['Group-ID'] === group);
    if (set && set.seq > p.seq) {
      throw new ConformanceFailure(
        `DPE_Group_Policy_Set for group ${JSON.stringify(group)} (#${p.seq}) arrived before DPE_Group_Set of that group (#${set.seq}) (clause 8.2.2)`,
        [p, set],
      );
    }
  }
}

export interface Definition {
  kind: 'DPE_Group_Set' | 'DPE_Property_Policy_Set' | 'DPE_Group_Policy_Set';
  /** Group-ID for groups, Policy-ID for policies. */
  id: string;
  /** IEs the client must receive unchanged. */
  content: Body;
}

export function definitionKey(kind: string, body: Body): string {
  return `${kind}:${String(kind === 'DPE_Group_Set' ? body['Group-ID'] : body['Policy-ID'])}`;
}

/**
 * 8.2.2: the sets of a device change establish the user's defined groups and policies.
 * `all`: every definition must arrive (ICS restoredSettings all-defined); otherwise only
 * sets of definitions the user has (an implementation-specific subset).
 */
export function checkRestored(sets: TraceEntry[], defined: Definition[], all: boolean): void {
  const byKey = new Map(defined.map((d) => [`${d.kind}:${d.id}`, d]));
  for (const s of sets) {
    const key = definitionKey(s.messageType, bodyOf(s));
    const d = byKey.get(key);
    if (!d) {
      throw new ConformanceFailure(
        `${s.messageType} (#${s.seq}) sets ${key.split(':')[1]}, which no SP defined for this user (clause 8.2.2)`,
        [s],
      );
    }
    for (const [ie, value] of Object.entries(d.content)) {
      if (JSON.stringify(bodyOf(s)[ie]) !== JSON.stringify(value)) {
        throw new ConformanceFailure(
          `${s.messageType} (#${s.seq}): IE ${ie} is ${JSON.stringify(bodyOf(s)[ie])}, the SP defined ${JSON.stringify(value)} (clause 8.2.2)`,
          [s],
        );
      }
    }
  }
  if (all) {
    const got = new Set(sets.map((s) => definitionKey(s.messageType, bodyOf(s))));
    const missing = defined.filter((d) => !got.has(`${d.kind}:${d.id}`));
    if (missing.length) {
      throw new ConformanceFailure(
        `the client did not receive ${missing.map((d) => `${d.kind} ${d.id}`).join(', ')}: on a device change every defined ` +
          'group and policy is established (clause 8.2.2)',
        sets,
      );
    }
  }
}

export interface ReportExpectation {
  /** Client IDs the report's Client-ID must include. */
  includes?: string[];
  /** Client IDs the report's Client-ID must not include. */
  excludes?: string[];
  /** Client-ID must be null (the user has no Client ID any more). */
  nullClientId?: boolean;
  /** Client IDs Replaces-Client-ID must include. */
  replaces?: string[];
}

/** 6.3.7 / 8.2.3: the contents of a DPE_Client_ID_Report about one user. */
export function checkReport(report: TraceEntry, x: ReportExpectation): void {
  const b = bodyOf(report);
  const fail = (ie: string, why: string) => {
    throw new ConformanceFailure(`DPE_Client_ID_Report (#${report.seq}): IE ${ie} ${why} (clause 6.3.7)`, [report]);
  };
  const ids = b['Client-ID'];
  if (x.nullClientId) {
    if (ids !== null) fail('Client-ID', `is ${JSON.stringify(ids)}, expected null: the user has no Client ID any more`);
  } else {
    if (!Array.isArray(ids)) fail('Client-ID', `is ${JSON.stringify(ids)}, expected a bag with the user's current Client ID`);
    const list = ids as unknown[];
    for (const id of x.includes ?? []) if (!list.includes(id)) fail('Client-ID', `is ${JSON.stringify(ids)}, expected it to include ${id}`);
    for (const id of x.excludes ?? []) if (list.includes(id)) fail('Client-ID', `is ${JSON.stringify(ids)}, but ${id} is no longer valid`);
  }
  if (x.replaces?.length) {
    const r = b['Replaces-Client-ID'];
    if (!Array.isArray(r)) fail('Replaces-Client-ID', `is ${JSON.stringify(r)}, expected a bag with ${x.replaces.join(', ')}`);
    for (const id of x.replaces) if (!(r as unknown[]).includes(id)) fail('Replaces-Client-ID', `is ${JSON.stringify(r)}, expected it to include ${id}`);
  }
}

/** Whether a report is about `user` (its User-Identity bag names the user). */
export function reportIsAbout(e: TraceEntry, user: string): boolean {
  const u = bodyOf(e)['User-Identity'];
  return Array.isArray(u) && u.includes(user);
}

/** Whether a report says `clientId` has no current user (User-Identity null). */
export function reportIsUserless(e: TraceEntry, clientId: string): boolean {
  const b = bodyOf(e);
  return b['User-Identity'] === null && Array.isArray(b['Client-ID']) && b['Client-ID'].includes(clientId);
}
