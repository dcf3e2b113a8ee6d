// 8.2.3: upon any change in the Client ID associated with a user, the SPs concerned with that
// user (binding; E12) are sent DPE_Client_ID_Report. Reports are computed from the user's set
// of valid Client IDs before and after the registration that changed it.
import type { Ctx } from './context';
import type { Outbound } from './types';

export interface UserChange {
  user: string;
  before: string[];
  after: string[];
  /** The Client ID this registration gave the user's device, when the user is the registrant. */
  newId?: string;
  /** The user had never had a Client ID before (E33). */
  first: boolean;
}

export interface ReportBatch { now: Outbound[]; later: Outbound[] }

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

function targets(ctx: Ctx, user: string): string[] {
  if (ctx.flags.faulty('report-all-sps')) return [...ctx.store.sps.keys()];
  return [...(ctx.store.users.get(user)?.concerned ?? [])];
}

export function userReports(ctx: Ctx, change: UserChange): ReportBatch {
  const out: ReportBatch = { now: [], later: [] };
  const { flags, messages, store } = ctx;
  const unchanged = sameSet(change.before, change.after);
  if (unchanged && !(flags.faulty('report-on-unchanged') && change.newId !== undefined)) return out;
  if (change.first && flags.free('no-first-association-report')) return out;
  const rec = store.user(change.user);
  let ids = flags.free('report-new-id-only') && change.newId !== undefined ? [change.newId] : [...change.after];
  if (flags.faulty('report-omits-new-id')) ids = ids.filter((id) => id !== change.newId);
  const replaces = flags.faulty('replaces-includes-current')
    ? [...change.before] : change.before.filter((id) => !change.after.includes(id));
  for (const spId of targets(ctx, change.user)) {
    if (flags.faulty('only-first-report') && rec.reportedTo.has(spId)) continue;
    rec.reportedTo.add(spId);
    out.now.push({ to: 'sp', spId, body: messages.report(change.user, ids, replaces) });
    if (flags.faulty('stale-second-report')) {
      out.later.push({ to: 'sp', spId, body: messages.report(change.user, [...change.before], []) });
    }
  }
  return out;
}

/**
 * 6.3.7 / E52: a Client ID that stays valid for its device but has no current user any more
 * (per-device policy, the device a SIM left) is reported with User-Identity null to the SPs
 * concerned with the user who left it.
 */
export function nullUserReports(ctx: Ctx, orphans: Array<{ clientId: string; formerUser: string }>): Outbound[] {
  if (ctx.flags.free('no-null-user-reports') || ctx.flags.faulty('null-user-report-missing')) return [];
  const out: Outbound[] = [];
  for (const o of orphans) {
    for (const spId of targets(ctx, o.formerUser)) {
      out.push({ to: 'sp', spId, body: ctx.messages.report(null, [o.clientId], []) });
    }
  }
  return out;
}
