/**
 * The checks the steps of features/client-id call (8.2.3, 6.3.6.2, 6.3.7 and the binding's
 * Reports): Client ID answers compared with the model at the moment of the query, and the reports
 * an SP is owed (or must not get) after an action, judged on the SP's latest word. The settled
 * judgement of what every SP was told is in ./client-id.ts.
 */
import type { MockSp } from '../../../mocks/service-provider';
import type { ToldReport } from '../../../mocks/sp-knowledge';
import type { MockDevice } from '../../../mocks/device';
import { IE, received } from '../../catalog/protocol';
import { erratumReading } from '../../requirements/applicability';
import type { ReportExpectation } from '../expect';
import { bodyOf, checkReport, checkReportMessageIdsUnique, checkRetry, ConformanceFailure, distinctReports } from '../expect';
import type { User } from '../oracle';
import type { Scenario } from '../scenario';
import type { TraceEntry } from '../trace';
import { noneOf } from './client-id';

/** Whether `e` is a report that says `clientId` has no current user (User-Identity null). */
function userlessReportOf(e: TraceEntry, clientId: string): boolean {
  const b = received('DPE_Client_ID_Report', e.body);
  return b[IE.UserIdentity] === null && [b[IE.ClientID]].flat().includes(clientId);
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
      const [first, again] = got;
      if (!first || !again) {
        // after a first delivery, what is missing is its retry
        s.missed(sp.name, 'DPE_Client_ID_Report', {
          detail: `${first ? 'again ' : ''}about ${user.name}`,
          since: first ? first.seq + 1 : s.since,
          arrivedIf: s.reportsAbout(sp, user),
        });
        throw new ConformanceFailure(
          `the ${sp.name} refused the DPE_Client_ID_Report about ${user.name} and was not sent it again within ${s.deadline} ms (binding, at-least-once delivery):\n` +
            s.trace.describe((m) => m.to === sp.name, s.since),
          got,
        );
      }
      checkRetry(first, again);
    });
  }

  /** binding: the distinct reports `sp` received about `user` carry distinct Message-IDs. */
  async expectDistinctReportIds(sp: MockSp, user: User, minimum: number): Promise<void> {
    const s = this.s;
    await s.check('cid.report-message-id-unique', async () => {
      // at-least-once: a report delivered again under its Message-ID is the same report, not a second one
      const got = await s.trace.waitForCount(s.reportsAbout(sp, user), 1, minimum, s.deadline, distinctReports);
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
