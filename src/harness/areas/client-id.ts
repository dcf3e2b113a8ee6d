/**
 * The settled judgement of features/client-id (8.2.3, 6.3.7 and the binding's Reports): what each
 * SP has been told — the latest accepted report per user, de-duplicated by Message-ID — compared
 * with the oracle's truth once the scenario has settled, and what is still owed to SPs while it
 * settles. A scenario and a load cohort are judged alike (./judge-view.ts); the checks the steps
 * call are in ./client-id-checks.ts.
 */
import type { SpKnowledge, ToldReport } from '../../../mocks/sp-knowledge';
import { erratumReading } from '../../requirements/applicability';
import type { Finding } from '../judgement';
import type { User } from '../oracle';
import type { IcsView, JudgedSp, SpJudgeView } from './judge-view';
import type { Outcome } from '../settle';
import type { TraceEntry } from '../trace';

/** E47 read leniently: an empty bag says "none" as null does. */
export const noneOf = (s: IcsView, ids: string[] | null): boolean =>
  ids === null || (ids.length === 0 && erratumReading(s.ctx.ics, 'E47') === 'lenient');

/** Why the SP's latest word on a user disagrees with the truth, if it does. */
export function disagreement(
  s: Pick<SpJudgeView, 'ctx' | 'oracle' | 'trace'>,
  sp: JudgedSp,
  user: User,
  latest: ToldReport,
): Finding | undefined {
  const truth = s.oracle.currentClientIdsOf(user.name);
  const said = `the ${sp.name} was last told (#${latest.seq}) that ${user.name}'s Client IDs are ${JSON.stringify(latest.clientIds)}`;
  const entries = s.trace.entries.filter((e) => e.seq === latest.seq);
  if (noneOf(s, latest.clientIds)) {
    return truth.length
      ? { requirement: 'msg.client-id-report.ids-current', message: `${said}, but ${user.name} holds ${truth.join(', ')}`, entries }
      : undefined;
  }
  const ids = latest.clientIds ?? [];
  if (!truth.length)
    return {
      requirement: 'msg.client-id-report.client-id-null',
      message: `${said}, but ${user.name} has no Client ID any more (Client-ID null)`,
      entries,
    };
  const stale = ids.filter((id) => !truth.includes(id));
  if (stale.length)
    return {
      requirement: 'msg.client-id-report.ids-current',
      message: `${said}; ${stale.join(', ')} is no longer ${user.name}'s (current: ${truth.join(', ')})`,
      entries,
    };
  const missing = truth.filter((id) => !ids.includes(id));
  if (missing.length && erratumReading(s.ctx.ics, 'E53') === 'strict') {
    return {
      requirement: 'msg.client-id-report.all-current-ids',
      message: `${said}, without ${missing.join(', ')} (E53 read strictly: all current ones)`,
      entries,
    };
  }
  return undefined;
}

/** Whether a report about `user` is owed to `sp`: it is concerned, and the user's Client IDs changed since. */
export function reportOwed(s: Pick<SpJudgeView, 'ctx' | 'oracle'>, sp: JudgedSp, user: User): string | undefined {
  if (!s.oracle.isConcerned(sp.alias, user.name)) return undefined;
  const since = s.oracle.concernedSince(sp.alias, user.name) ?? 0;
  if (!s.oracle.changesOf(user.name, since).length) return undefined;
  const first = (s.oracle.idsWhenConcerned(sp.alias, user.name) ?? []).length === 0;
  if (first && erratumReading(s.ctx.ics, 'E33') === 'lenient') return undefined;
  return first ? 'cid.report-first-association' : 'cid.report-on-change';
}

/** The settled judgement of what every SP was told. */
export function judgeSps(s: SpJudgeView): Finding[] {
  const out: Finding[] = [];
  const users = [...s.oracle.users.values()];
  for (const sp of s.allSps()) {
    const k = s.knowledgeOf(sp.alias);
    out.push(...k.problems.map((p) => ({ ...p, entries: s.trace.entries.filter((e) => e.seq === p.seq) })));
    for (const name of k.usersNamed()) {
      if (!users.some((u) => u.identity === name)) {
        out.push({
          requirement: 'cid.report-concerned-only',
          message: `the ${sp.name} was told about ${name}, a user identity no scenario step used`,
          entries: reportEntries(s, k, name),
        });
      }
    }
    for (const u of users) {
      const about = k.about(u.identity);
      const latest = about.at(-1);
      if (latest && !s.oracle.isConcerned(sp.alias, u.name)) {
        out.push({
          requirement: 'cid.report-concerned-only',
          message: `the ${sp.name} was told about ${u.name} (#${about.map((r) => r.seq).join(', #')}), though it is not concerned with ${u.name}`,
          entries: reportEntries(s, k, u.identity),
        });
        continue;
      }
      if (latest) {
        const d = disagreement(s, sp, u, latest);
        if (d) out.push(d);
      }
      const owed = reportOwed(s, sp, u);
      if (owed && !latest) {
        out.push({
          requirement: owed,
          message: `the ${sp.name} is concerned with ${u.name}, whose Client IDs changed, and was told nothing about ${u.name} (clause 8.2.3)`,
        });
      }
      if (
        latest &&
        !owed &&
        s.oracle.isConcerned(sp.alias, u.name) &&
        !s.oracle.changesOf(u.name, s.oracle.concernedSince(sp.alias, u.name) ?? 0).length
      ) {
        out.push({
          requirement: 'cid.report-only-on-change',
          message: `the ${sp.name} was told about ${u.name} (#${latest.seq}), whose Client IDs did not change`,
          entries: reportEntries(s, k, u.identity),
        });
      }
    }
    // a userless report (6.3.7) is true when sent; no later report about that Client ID is owed to
    // this SP (its new user may be one it is not concerned with), so it is judged by its step only
  }
  return out;
}

function reportEntries(s: Pick<SpJudgeView, 'trace'>, k: SpKnowledge, identity: string): TraceEntry[] {
  const seqs = new Set(k.about(identity).map((r) => r.seq));
  return s.trace.entries.filter((e) => seqs.has(e.seq));
}

/** What is still owed to SPs for the model to be met (settling waits for it): a report about each user, since the user's latest change; each change is a new outcome. */
export function pendingAtSps(s: SpJudgeView): Outcome[] {
  const out: Outcome[] = [];
  for (const sp of s.allSps()) {
    const k = s.knowledgeOf(sp.alias);
    for (const u of s.oracle.users.values()) {
      if (!reportOwed(s, sp, u)) continue;
      const latest = k.latestAbout(u.identity);
      if (latest && !disagreement(s, sp, u, latest)) continue;
      const since = s.oracle.changesOf(u.name, s.oracle.concernedSince(sp.alias, u.name) ?? 0).at(-1) ?? 1;
      out.push({
        key: `${sp.name}: a report about ${u.name} (change at #${s.oracle.changesOf(u.name).at(-1) ?? 0})`,
        kind: 'report',
        to: sp.name,
        messageType: 'DPE_Client_ID_Report',
        detail: `about ${u.name}`,
        since,
        arrivedIf: s.reportsAbout(sp, u),
      });
    }
  }
  return out;
}
