/**
 * 8.2.3 Client ID Change: whenever the Client IDs associated with a user change, every SP
 * concerned with that user gets a DPE_Client_ID_Report (6.3.7). Computed from a snapshot
 * before and after a transition, so every path that changes associations reports alike. The
 * snapshots hold the users the transition touched and the devices it changed (the state's change
 * journal), never all associations: a registration costs the same however many are held.
 */
import type { Unnumbered } from '../../catalog/protocol';
import { IE, unnumbered } from '../../catalog/protocol';
import type { Prior, ServerState, ServiceProvider } from '../state';

export interface Snapshot {
  /** user -> valid Client IDs */
  users: Map<string, string[]>;
  /** valid Client ID of each device the transition changed -> its user (null: no current user) */
  clientIds: Map<string, string | null>;
}

/** A report before the outbox numbers it (6.3.7, typed from the catalog). */
export type ReportBody = Unnumbered<'DPE_Client_ID_Report'>;

export interface PendingReport {
  sp: ServiceProvider;
  body: ReportBody;
}

/** The users' valid Client IDs now, and the Client IDs of the given associations (devices' records or priors). */
export function snapshot(state: ServerState, users: Iterable<string>, associations: Iterable<Prior> = []): Snapshot {
  const snap: Snapshot = { users: new Map(), clientIds: new Map() };
  for (const u of users) snap.users.set(u, state.clientIdsOf(u));
  addClientIds(snap, associations);
  return snap;
}

export function addClientIds(snap: Snapshot, associations: Iterable<Prior>): void {
  for (const a of associations) if (a?.clientId) snap.clientIds.set(a.clientId, a.user);
}

export interface ReportOptions {
  /** 6.3.7: also report a Client ID that stays valid with no current user (User-Identity null). */
  nullUserReports: boolean;
}

export type ReportPlanner = (state: ServerState, before: Snapshot, after: Snapshot, opts: ReportOptions) => PendingReport[];

export const planReports: ReportPlanner = (state, before, after, opts) => {
  const out: PendingReport[] = [];
  for (const [user, was] of before.users) {
    const now = after.users.get(user) ?? [];
    const replaced = was.filter((id) => !now.includes(id));
    const added = now.filter((id) => !was.includes(id));
    if (!replaced.length && !added.length) continue; // no change, no report (cid.report-only-on-change)
    // the IEs of 6.3.7 (msg.client-id-report.ies); Client-ID: every ID valid for the user now, the one the registration
    // answered among them (cid.report-matches-registration, msg.client-id-report.ids-current,
    // msg.client-id-report.all-current-ids), null when none is left (msg.client-id-report.client-id-null)
    const body = unnumbered('DPE_Client_ID_Report', {
      [IE.UserIdentity]: [user],
      [IE.ClientID]: now.length ? now : null,
      // only IDs the user no longer has (msg.client-id-report.replaces); none on a first association (cid.report-first-association)
      ...(replaced.length ? { [IE.ReplacesClientID]: replaced } : {}),
    });
    // every SP concerned with the user, and no other (cid.report-on-change, cid.report-concerned-only)
    for (const sp of state.concernedWith(user)) out.push({ sp, body });
  }
  if (opts.nullUserReports) {
    for (const [clientId, user] of after.clientIds) {
      const formerUser = before.clientIds.get(clientId);
      if (user !== null || !formerUser) continue;
      // a Client ID left with no user: User-Identity null (msg.client-id-report.user-null)
      const body = unnumbered('DPE_Client_ID_Report', { [IE.UserIdentity]: null, [IE.ClientID]: [clientId] });
      for (const sp of state.concernedWith(formerUser)) out.push({ sp, body });
    }
  }
  return out;
};

/**
 * Runs a transition touching `users` and plans the reports of every Client ID change it made:
 * a snapshot before, the transition (its changes journalled by the state), a snapshot after.
 */
export function withClientIdReports<T extends { affectedUsers?: string[] }>(
  state: ServerState,
  users: () => Iterable<string>,
  transition: () => T,
  plan: ReportPlanner,
  opts: ReportOptions,
): { result: T; reports: PendingReport[] } {
  const before = snapshot(state, users());
  const { result, changed } = state.recordChanges(transition);
  // a Client ID can change hands or lose its user only on a device the transition changed
  addClientIds(before, changed.values());
  const touched = new Set([...before.users.keys(), ...(result.affectedUsers ?? [])]);
  const after = snapshot(
    state,
    touched,
    [...changed.keys()].map((d) => state.device(d)),
  );
  // a user with no Client ID before: a first association is a change too (cid.report-first-association)
  for (const u of touched) if (!before.users.has(u)) before.users.set(u, []);
  return { result, reports: plan(state, before, after, opts) };
}
