/**
 * Checks of features/client-id (8.2.3, 6.3.6.2, 6.3.7 and the binding's Reports): what each mock
 * SP has been told — the latest accepted report per user, de-duplicated by Message-ID — is
 * compared with the oracle's truth once the scenario has settled; Client ID answers are compared
 * with the model at the moment of the query.
 */
import type { MockSp } from '../../../mocks/service-provider';
import type { SpKnowledge, ToldReport } from '../../../mocks/sp-knowledge';
import type { MockDevice } from '../../../mocks/device';
import { IE, received } from '../../catalog/protocol';
import { erratumReading } from '../../requirements/applicability';
import type { ReportExpectation } from '../expect';
import { bodyOf, checkReport, checkReportMessageIdsUnique, checkRetry, ConformanceFailure } from '../expect';
import type { Finding } from '../judgement';
import type { User } from '../oracle';
import type { Scenario } from '../scenario';
import type { IcsView, JudgedSp, SpJudgeView } from './judge-view';
import type { Outcome } from '../settle';
import type { TraceEntry } from '../trace';

/** Whether `e` is a report that says `clientId` has no current user (User-Identity null). */
function userlessReportOf(e: TraceEntry, clientId: string): boolean {
  const b = received('DPE_Client_ID_Report', e.body);
  return b[IE.UserIdentity] === null && [b[IE.ClientID]].flat().includes(clientId);
}

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

export class ClientIdChecks {
  constructor(private readonly s: Scenario) {}

  /** 6.3.6.2: the last DPE_Client_ID_Response lists exactly the devices' current Client IDs. */
  expectAnsweredClientIds(devices: MockDevice[]): Promise<void> {
    const s = this.s;
    return s.check(devices.length ? 'query.current-associations' : 'msg.client-id-response.null-when-none', () => {
      const got = this.answeredClientIds();
      const want = devices.map((d) => s.clientIdOf(d));
      const names = devices.map((d) => d.name).join(', ');
      if (!want.length) {
        if (!noneOf(s, got))
          throw new ConformanceFailure(
            `DPE_Client_ID_Response: IE Client-ID is ${JSON.stringify(got)}, expected null: the user has no Client ID (clause 6.3.6.2)`,
          );
        return;
      }
      const same = got !== null && got.length === want.length && want.every((w) => got.includes(w));
      if (!same)
        throw new ConformanceFailure(
          `DPE_Client_ID_Response: IE Client-ID is ${JSON.stringify(got)}, expected exactly ${JSON.stringify(want)} (${names}) (clause 6.3.6.2)`,
        );
    });
  }

  /** The Client-ID bag of the last DPE_Client_ID_Response. */
  answeredClientIds(): string[] | null {
    const a = this.s.lastAnswer;
    if (a?.status !== 200)
      throw new ConformanceFailure(
        `the DPE_Client_ID_Query was answered ${a?.status} ${JSON.stringify(a?.body)}, expected 200 (clause 6.3.6.2)`,
        [],
        'query.answered',
      );
    if (a.problems.length)
      throw new ConformanceFailure(
        `DPE_Client_ID_Response is malformed: ${a.problems.map((p) => `${p.ie ?? ''} ${p.detail}`).join('; ')} (clause 6.3.6.2)`,
        [],
        'msg.client-id-response.ies',
      );
    // validated above: a bag of strings or null
    return received('DPE_Client_ID_Response', a.body)[IE.ClientID] as string[] | null;
  }

  /**
   * 8.2.3 / 6.3.7: `sp` is told about `user`'s Client IDs: `now` (devices whose IDs the report
   * must list; `exactly`: nothing else), or `none` (Client-ID null); `replacing`: the device whose
   * former ID the user lost (Replaces-Client-ID may list it, and only it); `first`: the user had no
   * Client ID before (no Replaces-Client-ID). Judged on the SP's latest word once it holds or at
   * the deadline, so a correct report followed by a stale one fails.
   */
  async expectReportAbout(
    sp: MockSp,
    user: User,
    o: { now?: MockDevice[]; exactly?: boolean; none?: boolean; replacing?: MockDevice; first?: boolean },
  ): Promise<void> {
    const s = this.s;
    const current = s.oracle.currentClientIdsOf(user.name);
    const now = (o.now ?? []).map((d) => s.clientIdOf(d));
    const x: ReportExpectation = o.none ? { nullClientId: true } : { includes: now, within: o.exactly ? now : current };
    if (erratumReading(s.ctx.ics, 'E47') === 'lenient') x.emptyIsNull = true;
    if (o.replacing) {
      const previous = s.previousClientIdOf(o.replacing);
      x.replaces = [previous];
      if (!o.none && !current.includes(previous)) x.excludes = [previous];
    }
    if (o.first) x.noReplaces = true;
    const requirement = o.exactly
      ? 'msg.client-id-report.all-current-ids'
      : o.first
        ? 'cid.report-first-association'
        : 'cid.report-on-change';
    const k = s.knowledgeOf(sp.alias);
    const latestSince = () =>
      k
        .about(user.identity)
        .filter((r) => r.seq >= s.since)
        .at(-1);
    const holds = () => {
      const r = latestSince();
      if (!r) return false;
      try {
        checkReport(this.entryOf(r), x);
        return true;
      } catch {
        return false;
      }
    };
    await s.check(requirement, async () => {
      await s.trace.waitUntil(holds, s.deadline);
      const r = latestSince();
      if (!r) {
        s.missed(sp.name, 'DPE_Client_ID_Report', { detail: `about ${user.name}`, arrivedIf: s.reportsAbout(sp, user) });
        throw new ConformanceFailure(
          `the ${sp.name} received no DPE_Client_ID_Report about ${user.name} within ${s.deadline} ms, ` +
            `though ${user.name}'s Client ID changed and it is concerned with ${user.name} (clause 8.2.3). What it received since the action:\n` +
            s.trace.describe((m) => m.to === sp.name, s.since),
        );
      }
      checkReport(this.entryOf(r), x);
    });
  }

  private entryOf(r: ToldReport): TraceEntry {
    return this.s.trace.entries.find((e) => e.seq === r.seq)!;
  }

  /** Nothing about `user` reaches `sp` in the quiet period: binding when it is not concerned, derived otherwise. */
  async expectNoReport(sp: MockSp, user: User): Promise<void> {
    const s = this.s;
    const concerned = s.oracle.isConcerned(sp.alias, user.name);
    await s.check(concerned ? 'cid.report-only-on-change' : 'cid.report-concerned-only', async () => {
      await s.quietAfterAction();
      const got = s.trace.filter(s.reportsAbout(sp, user), s.since);
      if (got.length) {
        const why = concerned
          ? `nothing about ${user.name}'s Client ID changed (clause 8.2.3)`
          : `it is not concerned with ${user.name} (binding: reports go to concerned SPs only)`;
        throw new ConformanceFailure(`the ${sp.name} received ${got.length} DPE_Client_ID_Report(s) about ${user.name}: ${why}`, got);
      }
    });
  }

  /** 6.3.7: `sp` is told that `device`'s Client ID lives on with no user (User-Identity null). */
  async expectUserlessReport(sp: MockSp, device: MockDevice): Promise<void> {
    const s = this.s;
    const clientId = s.clientIdOf(device);
    const k = s.knowledgeOf(sp.alias);
    const found = () => k.userless().find((r) => r.seq >= s.since && (r.clientIds ?? []).includes(clientId));
    await s.check('msg.client-id-report.user-null', async () => {
      await s.trace.waitUntil(() => found() !== undefined, s.deadline);
      if (!found()) {
        s.missed(sp.name, 'DPE_Client_ID_Report', {
          detail: `with User-Identity null for ${device.name}`,
          arrivedIf: (e) => e.to === sp.name && e.messageType === 'DPE_Client_ID_Report' && userlessReportOf(e, clientId),
        });
        throw new ConformanceFailure(
          `the ${sp.name} received no DPE_Client_ID_Report with User-Identity null for ${device.name}'s Client ID ${clientId} (clause 6.3.7). Received:\n` +
            s.trace.describe((m) => m.to === sp.name, s.since),
        );
      }
    });
  }

  /** binding: the refused report is delivered again with the same Message-ID and content. */
  async expectReportRetried(sp: MockSp, user: User): Promise<void> {
    const s = this.s;
    await s.check('cid.report-retry-keeps-message-id', async () => {
      const got = await s.trace.waitForCount(s.reportsAbout(sp, user), s.since, 2, s.deadline);
      if (got.length < 2) {
        // after a first delivery, what is missing is its retry
        s.missed(sp.name, 'DPE_Client_ID_Report', {
          detail: `${got.length ? 'again ' : ''}about ${user.name}`,
          since: got.length ? got[0]!.seq + 1 : s.since,
          arrivedIf: s.reportsAbout(sp, user),
        });
        throw new ConformanceFailure(
          `the ${sp.name} refused the DPE_Client_ID_Report about ${user.name} and was not sent it again within ${s.deadline} ms (binding, at-least-once delivery):\n` +
            s.trace.describe((m) => m.to === sp.name, s.since),
          got,
        );
      }
      checkRetry(got[0]!, got[1]!);
    });
  }

  /** binding: the distinct reports `sp` received about `user` carry distinct Message-IDs. */
  async expectDistinctReportIds(sp: MockSp, user: User, minimum: number): Promise<void> {
    const s = this.s;
    await s.check('cid.report-message-id-unique', async () => {
      const got = await s.trace.waitForCount(s.reportsAbout(sp, user), 1, minimum, s.deadline);
      checkReportMessageIdsUnique(got, minimum);
    });
  }

  /** The body of the report a table step looks at: the latest one about the user since the action. */
  async reportFor(sp: MockSp, user: User): Promise<{ body: Record<string, unknown>; entries: TraceEntry[] }> {
    const s = this.s;
    const e = await s.trace.waitFor(s.reportsAbout(sp, user), s.since, s.deadline);
    if (!e) s.missed(sp.name, 'DPE_Client_ID_Report', { detail: `about ${user.name}`, arrivedIf: s.reportsAbout(sp, user) });
    if (!e)
      throw new ConformanceFailure(
        `the ${sp.name} received no DPE_Client_ID_Report about ${user.name} within ${s.deadline} ms (clause 8.2.3)`,
        [],
        'cid.report-on-change',
      );
    return { body: bodyOf(e), entries: [e] };
  }
}
