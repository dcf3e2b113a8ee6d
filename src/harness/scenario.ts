/**
 * One scenario's world: its parties (users, mock devices, mock SPs and what each SP has been
 * told), the oracle (the harness's model of the truth), the trace, the judgement, and the actions
 * the steps take through the binding. The checks live in src/harness/areas, one module per
 * feature folder; this module only acts and remembers.
 */
import { randomBytes } from 'node:crypto';
import { MockDevice, type RegisterOptions } from '../../mocks/device';
import type { Party, ScenarioRoute } from '../../mocks/parties';
import type { MockSp, ReportingPolicy } from '../../mocks/service-provider';
import { SpKnowledge } from '../../mocks/sp-knowledge';
import { settingOf, type Setting, type SettingKind } from '../../mocks/dpe-state';
import type { SpFault, SpFaultKind } from '../../mocks/sp-faults';
import { retryHorizonOf } from '../config/timing';
import { erratumReading } from '../requirements/applicability';
import type { HarnessContext } from './context';
import { ConformanceFailure } from './expect';
import { Judgement } from './judgement';
import { Oracle, type User, type UserKind } from './oracle';
import { Trace, type EntryMatch, type TraceEntry } from './trace';
import type { Answer } from './target';
import { badRegistration, type BadRegistration } from './bad-input';
import { paddedJson, tracedAs, type BodySize } from './oversized';
import { giveUp, judgedAtSettle, pendingOutcomes, type Outcome } from './settle';
import { unauthorisedRequest, type Credentials } from './unauthorised';

export type { User, UserKind } from './oracle';

export class Scenario {
  readonly id = randomBytes(4).toString('hex');
  readonly trace = new Trace();
  readonly judgement: Judgement;
  readonly oracle: Oracle;
  /** Devices by name ("phone A") and by Notify-URI key ("phone-A"). */
  private readonly devices = new Map<string, MockDevice>();
  /** What each SP (by alias) has been told in this scenario. */
  private readonly knowledge = new Map<string, SpKnowledge>();
  /** Trace seq and time at which the current action began. */
  since = 1;
  sinceAt = 0;
  /** Client ID of each device when the current action began. */
  private idsAtAction = new Map<string, string | undefined>();
  /** Every Client ID a registration answer of this scenario gave, in order. */
  readonly issued: string[] = [];
  /** Every (device, Client ID) pair a registration answer of this scenario gave. */
  readonly given: Array<{ device: string; clientId: string }> = [];
  /** Per device: whether its last registration answer gave a Client ID this scenario had not seen. */
  readonly answeredNewId = new Map<string, boolean>();
  /** The request the last answer answers. */
  lastRequest: Record<string, unknown> | undefined;
  lastAnswer: Answer | undefined;
  lastDefect: BadRegistration | undefined;
  /** Messages that arrived after the scenario ended (judged again by src/harness/settle.ts). */
  readonly lateEntries: TraceEntry[] = [];
  readonly route: ScenarioRoute;
  private triggerSnapshot: Setting[] = [];
  /** Settings carried by DPE-2 requests the target rejected: finding one on a device is a side effect of a rejection. */
  readonly rejectedSettings: Setting[] = [];
  /** What each SP (by alias) defined for each user and the target accepted, in order: an SP's own definitions. */
  readonly spDefinitions: Array<{ sp: string; user: string; setting: Setting }> = [];
  /** SP faults switched on in this scenario, with the trace seq they began at. */
  readonly outages: Array<{ sp: string; fault: SpFault; from: number }> = [];
  /** Findings already judged when the scenario settled (late judgement reports only new ones). */
  settledKeys: Set<string> | undefined;
  /** The cucumber pickle this scenario runs (for late verdicts). */
  pickleId: string | undefined;
  pickleName: string | undefined;
  /**
   * The devices whose releases after an action a step of the scenario looks at
   * (steps/support/release-steps.ts): an action waits for the releases its set-up caused to these
   * devices, so that a late one is not taken for the action's; nothing else judges releases.
   * undefined (a scenario outside the hooks): every device's.
   */
  releasesJudgedAt: Set<string> | undefined;
  /** When each predicted outcome was first seen pending (trace time): its deadline runs from then. */
  private readonly predictedAt = new Map<string, number>();
  /** Predicted outcomes that did not come within their deadline: never waited for again. */
  readonly givenUp = new Set<string>();

  constructor(readonly ctx: HarnessContext) {
    this.judgement = new Judgement(ctx.ics);
    this.oracle = new Oracle(ctx.ics, (d) => this.devices.get(d)?.clientId);
    this.route = {
      id: this.id,
      trace: this.trace,
      devices: this.devices,
      identities: () => [...[...this.oracle.users.values()].map((u) => u.identity), ...this.issued],
      onSpMessage: (sp, entry, status) => this.heard(sp, entry, status),
      ended: false,
      onLate: (entry) => this.lateEntries.push(entry),
    };
    for (const sp of ctx.sps.values()) {
      sp.trace = this.trace;
      // SPs are shared by the worker: a refusal set up by an earlier scenario must not leak
      sp.acceptEverything();
      this.knowledge.set(sp.alias, new SpKnowledge(sp.name));
    }
  }

  get deadline(): number {
    return this.ctx.ixit.timing.deliveryDeadlineMs;
  }

  get quietMs(): number {
    return this.ctx.ixit.timing.quietPeriodMs;
  }

  /** A check of `requirement` (its force decides whether a failure fails the scenario or warns). */
  check(requirement: string, fn: () => unknown): Promise<void> {
    return this.judgement.check(requirement, fn);
  }

  // ---- parties --------------------------------------------------------------------------

  user(name: string, kind?: UserKind): User {
    let u = this.oracle.users.get(name);
    if (!u) {
      const k = kind ?? 'sim';
      u = { name, kind: k, identity: k === 'sim' ? this.ctx.identities.msisdn() : this.ctx.identities.sipUri(name) };
      this.oracle.users.set(name, u);
    } else if (kind && u.kind !== kind) {
      throw new Error(`${name} is already a ${u.kind === 'sim' ? 'SIM' : 'SIP'} user in this scenario`);
    }
    return u;
  }

  device(name: string): MockDevice {
    let d = this.devices.get(name);
    if (!d) {
      const key = name.replace(/\s+/g, '-');
      const spelling = { groupIdHyphen: erratumReading(this.ctx.ics, 'E01') === 'lenient', policyIdUnderscore: erratumReading(this.ctx.ics, 'E02') === 'lenient' };
      d = new MockDevice(name, this.ctx.identities.imei(), this.ctx.network.clientUri(this.id, key), this.ctx.target, this.trace, spelling);
      this.devices.set(key, d);
      this.devices.set(name, d);
    }
    return d;
  }

  allDevices(): MockDevice[] {
    return [...new Set(this.devices.values())];
  }

  sp(alias: string): MockSp {
    const sp = this.ctx.sps.get(alias);
    if (!sp) throw new Error(`the IXIT declares no SP with alias "${alias}" (known: ${[...this.ctx.sps.keys()].join(', ')})`);
    return sp;
  }

  knowledgeOf(alias: string): SpKnowledge {
    return this.knowledge.get(alias)!;
  }

  allSps(): MockSp[] {
    return [...this.ctx.sps.values()];
  }

  /** What an SP was delivered: a report it accepted is what it now knows. */
  private heard(sp: Party, entry: TraceEntry, status: number): void {
    const alias = [...this.ctx.sps.values()].find((x) => x === sp)?.alias;
    if (alias && status >= 200 && status < 300) this.knowledge.get(alias)?.apply(entry.body, entry.seq);
  }

  clientIdOf(device: MockDevice): string {
    if (!device.clientId) throw new ConformanceFailure(`${device.name} holds no Client ID: its registration was not answered with one`);
    return device.clientId;
  }

  /** The Client ID `device` held when the current action began. */
  previousClientIdOf(device: MockDevice): string {
    const id = this.idsAtAction.has(device.name) ? this.idsAtAction.get(device.name) : device.clientId;
    if (!id) throw new ConformanceFailure(`${device.name} held no Client ID before this action`);
    return id;
  }

  expectSimIn(user: User, device: MockDevice): void {
    if (device.sim !== user.identity) throw new Error(`the scenario is inconsistent: ${user.name}'s SIM is not in ${device.name}`);
  }

  /**
   * Starts the next action: first lets what the previous one caused arrive (without judging it;
   * the steps and the settled judgement do), as a real user does not move a SIM again before the
   * device has been set up — then marks where the new action's effects begin.
   */
  async act(): Promise<void> {
    await this.awaitOutcomes((o) => judgedAtSettle(o) || !this.releasesJudgedAt || this.releasesJudgedAt.has(o.device!));
    // what a server may add beyond the prediction must not spill into the next action's window
    if (this.oracle.mayTrail(this.since)) await this.trace.quietFor(this.quietMs, this.deadline);
    this.beginAction();
  }

  /** Marks the start of the action whose effects the following checks look at. */
  beginAction(): void {
    this.since = this.trace.mark();
    this.sinceAt = this.trace.now();
    this.idsAtAction = new Map(this.allDevices().map((d) => [d.name, d.clientId]));
  }

  // ---- actions --------------------------------------------------------------------------

  /** Puts `user`'s SIM in `device` (the harness's model; nothing is sent). A SIM is in one device at a time. */
  insertSim(user: User, device: MockDevice): void {
    if (user.kind === 'sim') {
      for (const d of this.allDevices()) {
        if (d !== device && d.sim === user.identity) {
          d.sim = null;
          this.oracle.simLeft(d.name, this.trace.mark(), d.state.settings());
        }
      }
    }
    device.sim = user.identity;
  }

  /** A registration whose outcome the steps check. */
  async register(device: MockDevice, o: RegisterOptions = {}): Promise<Answer> {
    const snapshot = device.state.settings();
    const mark = this.trace.mark();
    const answer = await device.register(o);
    this.noteAnswer(device, answer, o.withoutUser ? null : device.sim, mark, snapshot);
    return answer;
  }

  /** The model follows what a registration answer said. */
  private noteAnswer(device: MockDevice, answer: Answer, identity: string | null, mark: number, snapshot: Setting[]): void {
    this.lastAnswer = answer;
    this.lastRequest = this.trace.entries.filter((e) => e.kind === 'request' && e.from === device.name).at(-1)?.body as Record<string, unknown> | undefined;
    if (answer.status !== 200 || !device.clientId) return;
    const id = device.clientId;
    this.answeredNewId.set(device.name, !this.issued.includes(id));
    if (!this.issued.includes(id)) this.issued.push(id);
    this.given.push({ device: device.name, clientId: id });
    this.oracle.registered(device.name, identity, mark, snapshot);
    this.notePredictions();
  }

  /**
   * Setup registration: what earlier set-up steps caused settles first (the registration takes
   * what the device holds as what it must keep); it must be answered with a Client ID, then the
   * device change it causes (if any) and the reports it owes settle before the scenario goes on,
   * so that they do not spill into the next action's checks. Nothing is judged here but the answer.
   */
  async registerForSetup(device: MockDevice, o: RegisterOptions = {}): Promise<void> {
    await this.settleSetup();
    const answer = await this.register(device, o);
    if (answer.status !== 200 || !device.clientId) {
      throw new ConformanceFailure(
        `setup: the registration of ${device.name} was answered ${answer.status} ${JSON.stringify(answer.body)}, expected 200 with a Client-ID (clause 8.1.1)`,
      );
    }
    await this.settleSetup();
  }

  /**
   * Waits (without judging) until what the settled judgement will judge has arrived — the
   * settings devices must hold, the reports SPs are owed — each until its own deadline from its
   * cause, so the waits of several set-up steps overlap (act() adds a quiet period where a server
   * may legally add what the model cannot predict). Releases are not waited for here: they are
   * judged only by the steps that look at them (act() waits for them in such a scenario), and a
   * late one changes no state that a set of a later cause made.
   */
  private async settleSetup(): Promise<void> {
    await this.awaitOutcomes(judgedAtSettle);
  }

  /** Stamps the outcomes predicted from now on with the time of their cause. */
  notePredictions(): void {
    const now = this.trace.now();
    for (const o of pendingOutcomes(this)) if (!this.predictedAt.has(o.key)) this.predictedAt.set(o.key, now);
  }

  /**
   * Waits until the predicted outcomes `which` selects have arrived, each until the delivery
   * deadline counted from when it was first predicted — so waits of several steps for one
   * message overlap instead of adding up. One that did not come is given up: no step, set-up or
   * settling waits for it again, the trace marks it not received (the chart's red mark), and the
   * settled judgement or the step that looks at it says what is missing. Returns whether
   * everything selected arrived.
   */
  async awaitOutcomes(which: (o: Outcome) => boolean = () => true): Promise<boolean> {
    // bounded: every round ends at an arrival or at the next due time, and every due time is at most one deadline away
    for (;;) {
      const now = this.trace.now();
      const open = pendingOutcomes(this).filter((o) => which(o) && !this.givenUp.has(o.key));
      if (!open.length) return true;
      for (const o of open) if (!this.predictedAt.has(o.key)) this.predictedAt.set(o.key, now);
      const due = (o: Outcome) => this.predictedAt.get(o.key)! + this.deadline;
      for (const o of open) if (due(o) <= now) giveUp(this, o);
      const waiting = open.filter((o) => due(o) > now);
      if (!waiting.length) return false;
      await this.trace.waitFor(() => true, this.trace.mark(), Math.min(...waiting.map(due)) - now);
    }
  }

  /**
   * A check waited for `messageType` to reach `to` in vain (since the current action, or
   * `o.since`): the chart marks it "expected … within N ms, not received".
   */
  missed(to: string, messageType: string, o: { detail?: string; since?: number; arrivedIf?: EntryMatch } = {}): void {
    this.trace.notReceived({ to, messageType, detail: o.detail, since: o.since ?? this.since, withinMs: this.deadline }, o.arrivedIf);
  }

  async registerSimForSetup(user: User, device: MockDevice, o: RegisterOptions = {}): Promise<void> {
    await this.insertSimForSetup(user, device);
    await this.registerForSetup(device, o);
  }

  /** A SIM put in a device in the set-up, once what earlier steps caused has settled (the device it leaves keeps what it holds then). */
  async insertSimForSetup(user: User, device: MockDevice): Promise<void> {
    await this.settleSetup();
    this.insertSim(user, device);
  }

  /** The SIM (or identity) of `user` goes into `to`, which then registers (8.2.2). */
  async moveSim(user: User, to: MockDevice): Promise<Answer> {
    await this.act();
    this.insertSim(user, to);
    return this.register(to);
  }

  async reregister(device: MockDevice, o: RegisterOptions = {}): Promise<Answer> {
    await this.act();
    return this.register(device, o);
  }

  async reregisterWithoutSim(device: MockDevice): Promise<Answer> {
    device.sim = null;
    return this.reregister(device);
  }

  /**
   * 6.1 server-driven registration: the upper tester asks the server to make `device` register
   * again (binding: POST /provisioning/registration-triggers); the mock device answers the
   * DPE_Registration_Trigger by registering, which followTriggeredRegistration records.
   */
  async triggerRegistration(device: MockDevice): Promise<void> {
    const clientId = this.clientIdOf(device);
    await this.act();
    this.triggerSnapshot = device.state.settings();
    this.lastAnswer = await this.ctx.target.post('/provisioning/registration-triggers', { 'Client-ID': clientId }, this.trace, { from: 'upper tester' });
    if (this.lastAnswer.status !== 202) {
      throw new ConformanceFailure(
        `POST /provisioning/registration-triggers for ${device.name} (${clientId}) was answered ${this.lastAnswer.status} ${JSON.stringify(this.lastAnswer.body)}, ` +
          'expected 202 (binding; the ICS declares serverDrivenRegistration)',
      );
    }
  }

  /** The registration a trigger made `device` send, noted in the model like any other. */
  async followTriggeredRegistration(device: MockDevice): Promise<Answer | undefined> {
    const answer = await device.reregistered();
    if (answer) this.noteAnswer(device, answer, device.sim, this.since, this.triggerSnapshot);
    return answer;
  }

  /** Sends a defective registration from `device` carrying `user`'s SIM; the model is left as it was. */
  async sendBadRegistration(device: MockDevice, user: User, defect: string): Promise<void> {
    const bad = badRegistration(defect);
    const valid = {
      'Message-Type': 'DPE_Registration_Request',
      'Message-ID': `bad-${this.trace.mark()}`,
      'User-Identity': user.identity,
      'Device-Identity': device.deviceIdentity,
      'Notify-URI': device.notifyUri,
    };
    const req = bad.make(valid, { maxBodyBytes: this.ctx.ixit.limits?.maxBodyBytes });
    await this.act();
    this.lastRequest = req.body;
    this.lastAnswer = await this.ctx.target.post('/dpe-1', req.body, this.trace, {
      from: device.name,
      raw: req.raw,
      contentType: req.contentType,
      chunked: req.chunked,
      tracedBody: req.tracedBody,
    });
    this.lastDefect = bad;
  }

  defineGroup(sp: MockSp, user: User, groupId: string, properties: string, forSetup: boolean): Promise<Answer> {
    const props = properties.split(',').map((p) => p.trim()).filter(Boolean);
    return this.define(sp, user, settingOf('DPE_Group_Set', { 'Group-ID': groupId, Properties: props }), forSetup);
  }

  definePropertyPolicy(sp: MockSp, user: User, policyId: string, property: string, policy: ReportingPolicy, forSetup: boolean): Promise<Answer> {
    return this.define(sp, user, settingOf('DPE_Property_Policy_Set', { 'Policy-ID': policyId, Property: property, Policy: policy }), forSetup);
  }

  defineGroupPolicy(sp: MockSp, user: User, policyId: string, groupId: string, policy: ReportingPolicy, forSetup: boolean): Promise<Answer> {
    return this.define(sp, user, settingOf('DPE_Group_Policy_Set', { 'Policy-ID': policyId, 'Group-ID': groupId, Policy: policy }), forSetup);
  }

  /** An SP defines a group, property policy or group policy for a user (DPE-2). */
  private async define(sp: MockSp, user: User, s: Setting, forSetup: boolean): Promise<Answer> {
    if (!forSetup) await this.act();
    const wasConcerned = this.oracle.isConcerned(sp.alias, user.name);
    this.oracle.markConcerned(sp.alias, user.name, this.trace.mark());
    const c = s.content;
    const a =
      s.kind === 'DPE_Group_Set'
        ? await sp.defineGroup(user.identity, s.id, c['Properties'] as string[])
        : s.kind === 'DPE_Property_Policy_Set'
          ? await sp.definePropertyPolicy(user.identity, s.id, c['Property'] as string, c['Policy'] as ReportingPolicy)
          : await sp.defineGroupPolicy(user.identity, s.id, c['Group-ID'] as string, c['Policy'] as ReportingPolicy);
    this.lastAnswer = a;
    if (a.status >= 200 && a.status < 300) {
      this.oracle.definedFor(user.name, s);
      this.spDefinitions.push({ sp: sp.alias, user: user.name, setting: s });
    } else {
      // a rejected set defines nothing and makes nobody concerned (binding, Errors)
      this.rejectedSettings.push(s);
      if (!wasConcerned) this.oracle.forgetConcern(sp.alias, user.name);
    }
    this.notePredictions();
    // a set-up definition is not waited for here: the relays of several definitions arrive
    // together, and the next step that registers, moves a SIM, acts or settles waits for them
    if (forSetup && (a.status < 200 || a.status > 299)) throw new ConformanceFailure(`setup: ${s.kind} from the ${sp.name} was answered ${a.status} ${JSON.stringify(a.body)}`);
    return a;
  }

  async query(sp: MockSp, user: User): Promise<Answer> {
    await this.act();
    this.oracle.markConcerned(sp.alias, user.name, this.trace.mark());
    const a = await sp.query(user.identity);
    this.lastAnswer = a;
    this.lastRequest = this.trace.entries.filter((e) => e.kind === 'request' && e.from === sp.name).at(-1)?.body as Record<string, unknown>;
    return a;
  }

  async queryForSetup(sp: MockSp, user: User): Promise<void> {
    const a = await this.query(sp, user);
    if (a.status !== 200) throw new ConformanceFailure(`setup: the ${sp.name}'s DPE_Client_ID_Query was answered ${a.status} ${JSON.stringify(a.body)}`);
  }

  /** A DPE-2 request from a party that is not an onboarded SP, or presents its token wrongly (binding: 401 UNAUTHORIZED). */
  async sendWithoutValidToken(credentials: Credentials, message: string, user: User): Promise<void> {
    const { body, authorization } = unauthorisedRequest(credentials, message, user, this.allSps()[0]!.token, this.id);
    await this.act();
    this.lastRequest = body;
    this.lastAnswer = await this.ctx.target.post('/dpe-2', body, this.trace, { from: 'unknown provider', headers: authorization !== undefined ? { Authorization: authorization } : {} });
    if (message !== 'DPE_Client_ID_Query' && this.lastAnswer.status >= 400) this.rejectedSettings.push(settingOf(message as SettingKind, body));
  }

  /** The SP answers 503 to the first report it is sent, so that the target must deliver it again (once what the set-up caused has arrived). */
  async turnAwayFirstReport(sp: MockSp): Promise<void> {
    await this.settleSetup();
    sp.turnAwayReports(1);
  }

  /** The SP answers 503 to the first `times` deliveries of the reports it is sent. */
  turnAwayReports(sp: MockSp, times: number): void {
    sp.turnAwayReports(times);
    this.outages.push({ sp: sp.alias, fault: { kind: 'refuse', times, status: 503 }, from: this.trace.mark() });
  }

  /**
   * The SP cannot take reports for `ms` from now, in the way `kind` says (binding: the target
   * tries again). The outage must end within the retry horizon the IXIT declares, or nothing
   * could be judged (the `@needs-sp-outage` tag keeps scenarios from running below its floor).
   */
  async takeSpAway(sp: MockSp, kind: SpFaultKind, ms: number): Promise<void> {
    const horizon = retryHorizonOf(this.ctx.ixit);
    if (ms >= horizon) throw new Error(`the scenario's SP outage (${ms} ms) is not shorter than the IXIT's retry horizon (${horizon} ms): the target would not be held to deliver`);
    await sp.faultFor(kind, ms);
    this.outages.push({ sp: sp.alias, fault: { kind, forMs: ms }, from: this.trace.mark() });
  }

  /**
   * An SP sends a group for `user` padded to `size` (over the IXIT's body limit). A set the target
   * accepted is a definition like any other; one it rejected must leave no trace (binding, Errors).
   */
  async sendOversizedGroup(sp: MockSp, user: User, size: BodySize): Promise<void> {
    const limit = this.ctx.ixit.limits?.maxBodyBytes;
    if (limit === undefined) throw new Error('the IXIT declares no limits.maxBodyBytes (the scenario should not have applied)');
    const base = { 'Message-Type': 'DPE_Group_Set', 'Message-ID': sp.nextMessageId(), 'User-Identity': user.identity, 'Group-ID': 'oversized' };
    const raw = paddedJson((pad) => ({ ...base, Properties: ['speed', `padding-${pad}`] }), size.bytes(limit), 'DPE_Group_Set');
    await this.act();
    this.lastRequest = undefined;
    this.lastAnswer = await sp.sendText(raw, { chunked: size.chunked, tracedBody: tracedAs(raw, 'DPE_Group_Set'), mayBeCutOff: size.mayBeCutOff });
    const setting = settingOf('DPE_Group_Set', JSON.parse(raw) as Record<string, unknown>);
    if (this.lastAnswer.status >= 200 && this.lastAnswer.status < 300) this.oracle.definedFor(user.name, setting);
    else this.rejectedSettings.push(setting);
    this.notePredictions();
  }

  /** The latest group (`group`) or policy (`policy`) of id `id` that `sp` defined and the target accepted. */
  definitionOf(sp: MockSp, what: 'group' | 'policy', id: string): { user: string; setting: Setting } | undefined {
    const kinds: SettingKind[] = what === 'group' ? ['DPE_Group_Set'] : ['DPE_Property_Policy_Set', 'DPE_Group_Policy_Set'];
    return this.spDefinitions.filter((d) => d.sp === sp.alias && d.setting.id === id && kinds.includes(d.setting.kind)).at(-1);
  }

  // ---- what the checks look at ----------------------------------------------------------

  toDevice(device: MockDevice, types: readonly string[]): EntryMatch {
    return (e) => e.kind === 'notify' && e.to === device.name && types.includes(e.messageType);
  }

  /** Reports to `sp` about `user` (their User-Identity names the user). */
  reportsAbout(sp: MockSp, user: User): EntryMatch {
    return (e) => {
      const u = (e.body as Record<string, unknown> | null)?.['User-Identity'];
      return e.kind === 'notify' && e.to === sp.name && e.messageType === 'DPE_Client_ID_Report' && Array.isArray(u) && u.includes(user.identity);
    };
  }

  /** The quiet period after the current action (absence is asserted over it). */
  quietAfterAction(): Promise<void> {
    return this.trace.quietUntil(this.sinceAt, this.quietMs);
  }

  /** Messages from the target that broke the message catalog (the After hook fails on them). */
  malformed(): TraceEntry[] {
    return this.trace.entries.filter((e) => e.from === 'DPE Server' && e.problems.length > 0);
  }
}
