/**
 * One cohort's model, built from its history entries alone, in their order: the suite's oracle
 * (src/harness/oracle.ts) fed with what the cohort's registrations, definitions and queries did
 * and what the target answered — exactly as a Scenario feeds it — plus each device's DPE state
 * (./replayed-device.ts) and each SP's knowledge (mocks/sp-knowledge.ts) rebuilt from what they
 * received. It offers the views the suite's settled judgements read
 * (src/harness/areas/judge-view.ts), so the load judges with the suite's checks and the ICS is
 * read once, the suite's way; the answers are checked as they arrive (./answer-checks.ts).
 *
 * The same model paces a cohort while the load runs (fed live: ./cohort.ts) and is rebuilt
 * from the recorded history for the verdict (./invariants.ts), which is why it is a pure
 * function of the entries. It assumes what the workload guarantees: a cohort has one request
 * open at a time.
 */
import type { Setting, SettingKind } from '../../mocks/dpe-state';
import { settingOf } from '../../mocks/dpe-state';
import { SpKnowledge } from '../../mocks/sp-knowledge';
import type { Ics } from '../config/ics';
import type { DeviceJudgeView, JudgedSp, SpJudgeView } from '../harness/areas/judge-view';
import type { User } from '../harness/oracle';
import { Oracle } from '../harness/oracle';
import type { EntryMatch, TraceEntry } from '../harness/trace';
import { SERVER_PARTY } from '../harness/trace';
import { erratumReading } from '../requirements/applicability';
import type { AnswerFinding } from './answer-checks';
import { checkQueryAnswer, registrationClientId, rejectedSet, unanswered } from './answer-checks';
import { bodyOf as body } from '../harness/expect';
import { ok } from './entry-fields';
import type { HistoryEntry, RosterDevice, RosterSp, RosterUser } from './history';
import { ReplayedDevice } from './replayed-device';
import type { Finding } from './violations';

/** An accepted registration, for the checks across cohorts (./client-ids.ts). */
export interface RegistrationRecord {
  cohort: string;
  device: string;
  identity: string | null;
  clientId: string;
  /** A device change in the oracle's reading (8.2.2). */
  deviceChange: boolean;
  useCase?: string;
  request: HistoryEntry;
  answer: HistoryEntry;
}

type Open =
  | { kind: 'registration'; entry: HistoryEntry; device: ReplayedDevice; identity: string | null; snapshot: Setting[] }
  | { kind: 'define'; entry: HistoryEntry; alias: string; user: User; setting: Setting; wasConcerned: boolean }
  | { kind: 'query'; entry: HistoryEntry; alias: string; user: User }
  | { kind: 'other'; entry: HistoryEntry };

const SET_KINDS: readonly string[] = ['DPE_Group_Set', 'DPE_Property_Policy_Set', 'DPE_Group_Policy_Set'];

export interface CohortRoster {
  devices: RosterDevice[];
  users: RosterUser[];
  sps: RosterSp[];
}

export class CohortModel implements DeviceJudgeView, SpJudgeView {
  readonly oracle: Oracle;
  readonly rejectedSettings: Setting[] = [];
  readonly trace = { entries: [] as HistoryEntry[] };
  readonly ctx: { readonly ics: Ics };
  /** Findings about answers, made as they arrive (the model at that moment is the truth they are compared with). */
  readonly answerFindings: Finding[] = [];
  readonly registrations: RegistrationRecord[] = [];
  /** Set once a request went unanswered: the target's state is unknown from then on. */
  unansweredAt: HistoryEntry | undefined;
  /** Messages to devices delivered again unchanged (a retry), taken once. */
  retries = 0;
  private readonly devices = new Map<string, ReplayedDevice>();
  private readonly knowledge = new Map<string, SpKnowledge>();
  private readonly sps = new Map<string, RosterSp>();
  private readonly open = new Map<string, Open>();

  constructor(
    readonly cohort: string,
    roster: CohortRoster,
    ics: Ics,
  ) {
    this.ctx = { ics };
    this.oracle = new Oracle(ics, (d) => this.devices.get(d)?.clientId);
    const spelling = {
      groupIdHyphen: erratumReading(ics, 'E01') === 'lenient',
      policyIdUnderscore: erratumReading(ics, 'E02') === 'lenient',
    };
    for (const d of roster.devices) this.devices.set(d.name, new ReplayedDevice(d.name, spelling));
    for (const u of roster.users) this.addUser(u.name, u.identity, u.kind);
    for (const sp of roster.sps) {
      this.sps.set(sp.name, sp);
      this.knowledge.set(sp.alias, new SpKnowledge(sp.name));
    }
  }

  private addUser(name: string, identity: string, kind: User['kind']): User {
    const u: User = { name, identity, kind };
    this.oracle.users.set(name, u);
    return u;
  }

  /** The user of an identity, added on first sight (a SIP URI is a multi-device user, anything else a SIM: binding). */
  private userOf(identity: string): User {
    return this.oracle.userByIdentity(identity) ?? this.addUser(identity, identity, identity.startsWith('sip:') ? 'sip' : 'sim');
  }

  /**
   * What the mock network attributes an SP message to this cohort by: its users' identities (a
   * report names its user) and the Client IDs its devices hold (a report without a user names the
   * Client ID that lives on). Kept small: the network asks every cohort for every SP message.
   */
  identities(): string[] {
    const out = [...this.oracle.users.values()].map((u) => u.identity);
    for (const d of this.devices.values()) if (d.clientId) out.push(d.clientId);
    return out;
  }

  // ---- the views the suite's judgements read ---------------------------------------------

  allDevices(): ReplayedDevice[] {
    return [...this.devices.values()];
  }

  device(name: string): ReplayedDevice | undefined {
    return this.devices.get(name);
  }

  allSps(): RosterSp[] {
    return [...this.sps.values()];
  }

  knowledgeOf(alias: string): SpKnowledge {
    const k = this.knowledge.get(alias);
    if (!k) throw new Error(`no SP with alias ${alias} in cohort ${this.cohort}`);
    return k;
  }

  reportsAbout(sp: JudgedSp, user: User): EntryMatch {
    return (e) => {
      const u = body(e)['User-Identity'];
      return (
        e.kind === 'notify' && e.to === sp.name && e.messageType === 'DPE_Client_ID_Report' && Array.isArray(u) && u.includes(user.identity)
      );
    };
  }

  malformed(): TraceEntry[] {
    return this.trace.entries.filter((e) => e.from === SERVER_PARTY && e.problems.length > 0);
  }

  /**
   * The same views without the trace: what pacing asks (what is still owed) needs no evidence,
   * and the judgements' search of the trace for evidence is linear in its length.
   */
  withoutEvidence(): DeviceJudgeView & SpJudgeView {
    return {
      ctx: this.ctx,
      oracle: this.oracle,
      rejectedSettings: this.rejectedSettings,
      trace: { entries: [] },
      allDevices: () => this.allDevices(),
      allSps: () => this.allSps(),
      knowledgeOf: (alias) => this.knowledgeOf(alias),
      reportsAbout: (sp, user) => this.reportsAbout(sp, user),
    };
  }

  /** No request of the cohort waits for its answer: the boundary between two actions. */
  idle(): boolean {
    return this.open.size === 0;
  }

  // ---- feeding --------------------------------------------------------------------------

  apply(e: HistoryEntry): void {
    this.trace.entries.push(e);
    if (e.kind === 'request') this.request(e);
    else if (e.kind === 'answer') this.answer(e);
    else this.notify(e);
  }

  private request(e: HistoryEntry): void {
    const b = body(e);
    const device = this.devices.get(e.from);
    if (device && e.messageType === 'DPE_Registration_Request') {
      const raw = b['User-Identity'] ?? e.headers?.['X-DPE-User-Identity'];
      const identity = typeof raw === 'string' ? raw : null;
      const user = identity ? this.userOf(identity) : undefined;
      // a SIM is in one device at a time: the devices it was in are left, keeping what they hold now (Scenario.insertSim)
      if (user?.kind === 'sim') {
        for (const d of this.devices.values())
          if (d !== device && this.oracle.associatedIdentity(d.name) === identity) this.oracle.simLeft(d.name, e.seq, d.state.settings());
      }
      this.open.set(e.from, { kind: 'registration', entry: e, device, identity, snapshot: device.state.settings() });
      return;
    }
    const sp = this.sps.get(e.from);
    const identity = b['User-Identity'] ?? b['Query-Key'];
    if (sp && typeof identity === 'string' && (SET_KINDS.includes(e.messageType) || e.messageType === 'DPE_Client_ID_Query')) {
      const user = this.userOf(identity);
      const wasConcerned = this.oracle.isConcerned(sp.alias, user.name);
      this.oracle.markConcerned(sp.alias, user.name, e.seq);
      if (e.messageType === 'DPE_Client_ID_Query') this.open.set(e.from, { kind: 'query', entry: e, alias: sp.alias, user });
      else
        this.open.set(e.from, {
          kind: 'define',
          entry: e,
          alias: sp.alias,
          user,
          setting: settingOf(e.messageType as SettingKind, b),
          wasConcerned,
        });
      return;
    }
    this.open.set(e.from, { kind: 'other', entry: e });
  }

  private answer(e: HistoryEntry): void {
    const o = this.open.get(e.to);
    if (!o) return;
    this.open.delete(e.to);
    if (e.messageType === 'no answer') {
      this.unansweredAt ??= e;
      this.find(unanswered(o.entry, e));
      return;
    }
    if (o.kind === 'registration') return this.registrationAnswer(o, e);
    if (o.kind === 'define') {
      if (ok(e.status)) {
        this.oracle.definedFor(o.user.name, o.setting);
      } else {
        // a rejected set defines nothing and makes nobody concerned (binding, Errors)
        this.rejectedSettings.push(o.setting);
        if (!o.wasConcerned) this.oracle.forgetConcern(o.alias, o.user.name);
        this.find(rejectedSet(o.entry, e, o.user.name));
      }
      return;
    }
    if (o.kind === 'query') checkQueryAnswer(this, o.user.name, o.entry, e, (f) => this.find(f));
  }

  private registrationAnswer(o: Extract<Open, { kind: 'registration' }>, e: HistoryEntry): void {
    const cid = registrationClientId(o.device.name, o.entry, e, (f) => this.find(f));
    if (cid === undefined) return;
    const deviceChange = this.oracle.isDeviceChange(o.device.name, o.identity);
    o.device.clientId = cid;
    o.device.accepted.push({ mark: o.entry.seq, clientId: cid });
    this.oracle.registered(o.device.name, o.identity, o.entry.seq, o.snapshot);
    const useCase = this.oracle.expectationOf(o.device.name).useCase;
    this.registrations.push({
      cohort: this.cohort,
      device: o.device.name,
      identity: o.identity,
      clientId: cid,
      deviceChange,
      ...(useCase ? { useCase } : {}),
      request: o.entry,
      answer: e,
    });
  }

  private notify(e: HistoryEntry): void {
    const d = this.devices.get(e.to);
    if (d) {
      if (!d.take(e)) this.retries++;
      return;
    }
    const sp = this.sps.get(e.to);
    // a report the SP did not accept is not knowledge
    if (sp && (e.answered === undefined || ok(e.answered))) this.knowledgeOf(sp.alias).apply(e.body, e.seq);
  }

  private find(f: AnswerFinding): void {
    this.answerFindings.push({
      invariant: f.invariant,
      ...(f.requirement ? { requirement: f.requirement } : {}),
      message: f.message,
      entries: f.entries,
      cohort: this.cohort,
      key: `${f.requirement ?? f.invariant}|${f.message}`,
      at: f.entries.at(-1)?.g ?? 0,
    });
  }
}
