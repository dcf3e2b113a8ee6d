/**
 * One scenario's view of the DPE network: its users, devices and SPs, the harness's own model
 * of who uses which device (built from the steps, never from the server's internals), and the
 * waits and checks the steps call. Steps stay thin; this is where the logic is.
 */
import { randomBytes } from 'node:crypto';
import { MockDevice, type RegisterOptions } from '../../mocks/device';
import type { MockSp, ReportingPolicy } from '../../mocks/service-provider';
import type { ScenarioRoute } from '../../mocks/network';
import type { HarnessContext } from './context';
import {
  ConformanceFailure,
  bodyOf,
  checkGroupBeforeItsPolicy,
  checkReleasesBeforeSets,
  checkReport,
  checkRestored,
  releasedGroup,
  releasedPolicy,
  reportIsAbout,
  reportIsUserless,
  type Definition,
  type ReportExpectation,
} from './expect';
import { isErrorBody, type Answer } from './target';
import { badRegistration, type BadRegistration } from './bad-input';
import { Trace, type EntryMatch, type TraceEntry } from './trace';

export type UserKind = 'sim' | 'sip';

export interface User {
  name: string;
  identity: string;
  kind: UserKind;
}

const RELEASES = ['DPE_Group_Release', 'DPE_Policy_Release'];
const SETS = ['DPE_Group_Set', 'DPE_Property_Policy_Set', 'DPE_Group_Policy_Set'];

export class Scenario {
  readonly id = randomBytes(4).toString('hex');
  readonly trace = new Trace();
  private readonly users = new Map<string, User>();
  private readonly devices = new Map<string, MockDevice>();
  /** The harness's model: which users each SP is concerned with (binding). */
  private readonly concerned = new Map<string, Set<string>>();
  /** The harness's model: what SPs defined for each user, in order. */
  private readonly defined = new Map<string, Definition[]>();
  /** The harness's model: the device each registration last associated with a user. */
  private readonly registeredUser = new Map<string, string | null>();
  private since = 1;
  private sinceAt = 0;
  /** Client ID of each device when the current action began. */
  private idsAtAction = new Map<string, string | undefined>();
  /** Every Client ID any registration answer of this scenario gave, in order. */
  private readonly issued: string[] = [];
  lastAnswer: Answer | undefined;
  private lastDefect: BadRegistration | undefined;
  readonly route: ScenarioRoute;

  constructor(readonly ctx: HarnessContext) {
    this.route = { id: this.id, trace: this.trace, devices: this.devices };
    for (const sp of ctx.sps.values()) sp.trace = this.trace;
  }

  private get deadline(): number {
    return this.ctx.ixit.timing.deliveryDeadlineMs;
  }

  // ---- parties --------------------------------------------------------------------------

  user(name: string, kind?: UserKind): User {
    let u = this.users.get(name);
    if (!u) {
      const k = kind ?? 'sim';
      u = { name, kind: k, identity: k === 'sim' ? this.ctx.identities.msisdn() : this.ctx.identities.sipUri(name) };
      this.users.set(name, u);
    } else if (kind && u.kind !== kind) {
      throw new Error(`${name} is already a ${u.kind === 'sim' ? 'SIM' : 'SIP'} user in this scenario`);
    }
    return u;
  }

  device(name: string): MockDevice {
    let d = this.devices.get(name);
    if (!d) {
      const key = name.replace(/\s+/g, '-');
      d = new MockDevice(name, this.ctx.identities.imei(), this.ctx.network.clientUri(this.id, key), this.ctx.target, this.trace);
      this.devices.set(key, d);
      this.devices.set(name, d);
    }
    return d;
  }

  sp(alias: string): MockSp {
    const sp = this.ctx.sps.get(alias);
    if (!sp) throw new Error(`the IXIT declares no SP with alias "${alias}" (known: ${[...this.ctx.sps.keys()].join(', ')})`);
    return sp;
  }

  clientIdOf(deviceName: string): string {
    const id = this.device(deviceName).clientId;
    if (!id) throw new ConformanceFailure(`${deviceName} holds no Client ID: its registration was not answered with one`);
    return id;
  }

  /** Marks the start of the action whose effects the following checks look at. */
  beginAction(): void {
    this.since = this.trace.mark();
    this.sinceAt = this.trace.now();
    this.idsAtAction = new Map([...new Set(this.devices.values())].map((d) => [d.name, d.clientId]));
  }

  /** The Client ID `device` held when the current action began. */
  previousClientIdOf(deviceName: string): string {
    const id = this.idsAtAction.has(deviceName) ? this.idsAtAction.get(deviceName) : this.device(deviceName).clientId;
    if (!id) throw new ConformanceFailure(`${deviceName} held no Client ID before this action`);
    return id;
  }

  expectSimIn(userName: string, deviceName: string): void {
    if (this.device(deviceName).sim !== this.user(userName).identity) {
      throw new Error(`the scenario is inconsistent: ${userName}'s SIM is not in ${deviceName}`);
    }
  }

  // ---- actions --------------------------------------------------------------------------

  /** Puts `user`'s SIM in `device` (the harness's model; nothing is sent). */
  insertSim(userName: string, deviceName: string): void {
    const user = this.user(userName);
    if (user.kind === 'sim') for (const d of new Set(this.devices.values())) if (d.sim === user.identity) d.sim = null;
    this.device(deviceName).sim = user.identity;
  }

  /** A registration whose outcome the step checks itself. */
  async register(deviceName: string, o: RegisterOptions = {}): Promise<Answer> {
    const device = this.device(deviceName);
    const before = this.userIdsSnapshot();
    const answer = await device.register(o);
    this.lastAnswer = answer;
    if (answer.status === 200 && device.clientId && !this.issued.includes(device.clientId)) this.issued.push(device.clientId);
    if (answer.status === 200) this.noteRegistration(deviceName, o.withoutUser ? null : device.sim, before);
    return answer;
  }

  /**
   * Setup registration: must be answered with a Client ID; then waits (without judging) for
   * the messages the rules predict, so that they do not spill into the next action's checks.
   */
  async registerForSetup(deviceName: string, o: RegisterOptions = {}): Promise<void> {
    const device = this.device(deviceName);
    const change = this.registeredUser.get(deviceName) !== (o.withoutUser ? null : device.sim) || device.registrations === 0;
    const mark = this.trace.mark();
    const answer = await this.register(deviceName, o);
    if (answer.status !== 200 || !device.clientId) {
      throw new ConformanceFailure(
        `setup: the registration of ${deviceName} was answered ${answer.status} ${JSON.stringify(answer.body)}, expected 200 with a Client-ID (clause 8.1.1)`,
      );
    }
    const waits: Promise<unknown>[] = [];
    if (change) {
      const user = device.sim ? [...this.users.values()].find((u) => u.identity === device.sim) : undefined;
      const count = RELEASES.length + (user ? (this.defined.get(user.name)?.length ?? 0) : 0);
      waits.push(this.trace.waitForCount(this.toDevice(deviceName, [...RELEASES, ...SETS]), mark, count, this.deadline));
    }
    waits.push(this.settleReports(mark));
    await Promise.all(waits);
  }

  /** The SIM of `user` moves from one device to another, which then registers (8.2.2). */
  async moveSim(userName: string, to: string): Promise<Answer> {
    this.insertSim(userName, to);
    this.beginAction();
    return this.register(to);
  }

  async reregister(deviceName: string, o: RegisterOptions = {}): Promise<Answer> {
    this.beginAction();
    return this.register(deviceName, o);
  }

  async reregisterWithoutSim(deviceName: string): Promise<Answer> {
    this.device(deviceName).sim = null;
    return this.reregister(deviceName);
  }

  /** Sends a defective registration from `device` carrying `user`'s SIM; the model is left as it was. */
  async sendBadRegistration(deviceName: string, userName: string, defect: string): Promise<void> {
    const bad = badRegistration(defect);
    const device = this.device(deviceName);
    const valid = {
      'Message-Type': 'DPE_Registration_Request',
      'Message-ID': `bad-${this.trace.mark()}`,
      'User-Identity': this.user(userName).identity,
      'Device-Identity': device.deviceIdentity,
      'Notify-URI': device.notifyUri,
    };
    const req = bad.make(valid);
    this.beginAction();
    this.lastAnswer = await this.ctx.target.post('/dpe-1', req.body, this.trace, {
      from: deviceName,
      raw: req.raw,
      contentType: req.contentType,
    });
    this.lastDefect = bad;
  }

  /** The last defective request was rejected with the Code (and IE) its defect calls for. */
  expectRejectedForDefect(): void {
    if (!this.lastDefect) throw new Error('no defective request was sent');
    this.expectRejected(this.lastDefect.code, this.lastDefect.ie);
  }

  /** 8.1.1: the last registration of `device` was answered 200 with a Client ID (new or kept, when asked). */
  expectRegistrationAnswer(deviceName: string, which?: 'new' | 'same'): void {
    const device = this.device(deviceName);
    const a = device.lastAnswer;
    if (!a || a.status !== 200) {
      throw new ConformanceFailure(`the registration of ${deviceName} was answered ${a?.status} ${JSON.stringify(a?.body)}, expected 200 with DPE_Registration_Response (clause 8.1.1)`);
    }
    if (a.problems.length) {
      throw new ConformanceFailure(`DPE_Registration_Response is malformed: ${a.problems.map((p) => `IE ${p.ie ?? '?'} ${p.detail}`).join('; ')} (clause 8.1.1)`);
    }
    const id = device.clientId!;
    const before = this.idsAtAction.get(deviceName);
    if (which === 'same' && id !== before) {
      throw new ConformanceFailure(`${deviceName} was given Client ID ${id}, expected it to keep ${before} (clause 6.1, Client ID policy ${this.ctx.ics.clientIdPolicy})`);
    }
    if (which === 'new' && this.issued.indexOf(id) !== this.issued.length - 1) {
      throw new ConformanceFailure(`${deviceName} was given Client ID ${id}, which this scenario had seen before; a new one was due (clause 8.2.2, Client ID policy ${this.ctx.ics.clientIdPolicy})`);
    }
  }

  expectEchoedMessageId(sent: Record<string, unknown>): void {
    const got = (this.lastAnswer?.body as Record<string, unknown> | undefined)?.['Message-ID'];
    if (got !== sent['Message-ID']) {
      throw new ConformanceFailure(`the answer's IE Message-ID is ${JSON.stringify(got)}, expected the request's ${JSON.stringify(sent['Message-ID'])} echoed`);
    }
  }

  /** 6.3.6.2: the last DPE_Client_ID_Response lists exactly the devices' current Client IDs. */
  expectAnsweredClientIds(deviceNames: string[]): void {
    const got = this.answeredClientIds();
    const want = deviceNames.map((d) => this.clientIdOf(d));
    if (!want.length) {
      if (got !== null) throw new ConformanceFailure(`DPE_Client_ID_Response: IE Client-ID is ${JSON.stringify(got)}, expected null: the user has no Client ID (clause 6.3.6.2)`);
      return;
    }
    const same = got !== null && got.length === want.length && want.every((w) => got.includes(w));
    if (!same) {
      throw new ConformanceFailure(`DPE_Client_ID_Response: IE Client-ID is ${JSON.stringify(got)}, expected exactly ${JSON.stringify(want)} (${deviceNames.join(', ')}) (clause 6.3.6.2)`);
    }
  }

  defineGroup(alias: string, user: string, groupId: string, properties: string, forSetup: boolean): Promise<Answer> {
    const props = properties.split(',').map((p) => p.trim()).filter(Boolean);
    return this.define(alias, user, { kind: 'DPE_Group_Set', id: groupId, content: { 'Group-ID': groupId, Properties: props } }, forSetup);
  }

  definePropertyPolicy(alias: string, user: string, policyId: string, property: string, policy: ReportingPolicy, forSetup: boolean): Promise<Answer> {
    return this.define(alias, user, { kind: 'DPE_Property_Policy_Set', id: policyId, content: { 'Policy-ID': policyId, Property: property, Policy: policy } }, forSetup);
  }

  defineGroupPolicy(alias: string, user: string, policyId: string, groupId: string, policy: ReportingPolicy, forSetup: boolean): Promise<Answer> {
    return this.define(alias, user, { kind: 'DPE_Group_Policy_Set', id: policyId, content: { 'Policy-ID': policyId, 'Group-ID': groupId, Policy: policy } }, forSetup);
  }

  async query(alias: string, userName: string): Promise<Answer> {
    const user = this.user(userName);
    this.markConcerned(alias, user.name);
    this.beginAction();
    const a = await this.sp(alias).query(user.identity);
    this.lastAnswer = a;
    return a;
  }

  async queryForSetup(alias: string, userName: string): Promise<void> {
    const a = await this.query(alias, userName);
    if (a.status !== 200) throw new ConformanceFailure(`setup: the ${alias} provider's DPE_Client_ID_Query was answered ${a.status} ${JSON.stringify(a.body)}`);
  }

  /** An SP defines a group, property policy or group policy for a user (DPE-2). */
  async define(alias: string, userName: string, d: Definition, forSetup: boolean): Promise<Answer> {
    const user = this.user(userName);
    const sp = this.sp(alias);
    this.markConcerned(alias, user.name);
    const list = this.defined.get(user.name) ?? [];
    this.defined.set(user.name, [...list.filter((x) => !(x.kind === d.kind && x.id === d.id)), d]);
    const mark = this.trace.mark();
    if (!forSetup) this.beginAction();
    const c = d.content;
    const a =
      d.kind === 'DPE_Group_Set'
        ? await sp.defineGroup(user.identity, d.id, c['Properties'] as string[])
        : d.kind === 'DPE_Property_Policy_Set'
          ? await sp.definePropertyPolicy(user.identity, d.id, c['Property'] as string, c['Policy'] as ReportingPolicy)
          : await sp.defineGroupPolicy(user.identity, d.id, c['Group-ID'] as string, c['Policy'] as ReportingPolicy);
    this.lastAnswer = a;
    if (forSetup) {
      if (a.status < 200 || a.status > 299) {
        throw new ConformanceFailure(`setup: ${d.kind} from the ${alias} provider was answered ${a.status} ${JSON.stringify(a.body)}`);
      }
      // the server relays the definition to the user's current devices
      const devices = [...new Set(this.devices.values())].filter((x) => x.sim === user.identity && x.clientId);
      await Promise.all(devices.map((x) => this.trace.waitFor(this.toDevice(x.name, [d.kind]), mark, this.deadline)));
    }
    return a;
  }

  definitionsOf(userName: string): Definition[] {
    return this.defined.get(userName) ?? [];
  }

  // ---- checks ---------------------------------------------------------------------------

  toDevice(deviceName: string, types: string[]): EntryMatch {
    const name = this.device(deviceName).name;
    return (e) => e.kind === 'notify' && e.to === name && types.includes(e.messageType);
  }

  /** Waits for a message of `type` to `device` since the action, or fails with what arrived. */
  async expectAtDevice(deviceName: string, type: string): Promise<TraceEntry> {
    const e = await this.trace.waitFor(this.toDevice(deviceName, [type]), this.since, this.deadline);
    if (!e) {
      throw new ConformanceFailure(
        `${deviceName} received no ${type} within ${this.deadline} ms. What reached ${deviceName} since the action:\n` +
          this.trace.describe((x) => x.to === this.device(deviceName).name, this.since),
      );
    }
    return e;
  }

  async expectGroupReleaseAll(deviceName: string): Promise<void> {
    const e = await this.expectAtDevice(deviceName, 'DPE_Group_Release');
    const g = releasedGroup(e, this.ctx.ics.errata['E01'] === 'lenient');
    if (g !== '*') throw new ConformanceFailure(`DPE_Group_Release (#${e.seq}): IE Group_ID is ${JSON.stringify(g)}, expected "*" (clause 8.2.2)`, [e]);
  }

  async expectPolicyReleaseAll(deviceName: string): Promise<void> {
    const e = await this.expectAtDevice(deviceName, 'DPE_Policy_Release');
    const p = releasedPolicy(e, this.ctx.ics.errata['E02'] === 'lenient');
    if (p !== '*') throw new ConformanceFailure(`DPE_Policy_Release (#${e.seq}): IE Policy-ID is ${JSON.stringify(p)}, expected "*" (clause 8.2.2)`, [e]);
  }

  /** 8.2.2: the user's defined groups and policies reach the device, after the releases. */
  async expectRestored(deviceName: string, userName: string): Promise<void> {
    const defined = this.definitionsOf(userName);
    const all = this.ctx.ics.restoredSettings === 'all-defined';
    const match = this.toDevice(deviceName, [...RELEASES, ...SETS]);
    const got = await this.trace.waitForCount(match, this.since, RELEASES.length + (all ? defined.length : 0), this.deadline);
    const sets = got.filter((e) => SETS.includes(e.messageType));
    checkRestored(sets, defined, all);
    checkReleasesBeforeSets(got);
    checkGroupBeforeItsPolicy(got);
  }

  async expectReleasesBeforeSets(deviceName: string): Promise<void> {
    const user = [...this.users.values()].find((u) => u.identity === this.device(deviceName).sim);
    const n = RELEASES.length + (user ? this.definitionsOf(user.name).length : 0);
    const got = await this.trace.waitForCount(this.toDevice(deviceName, [...RELEASES, ...SETS]), this.since, n, this.deadline);
    if (!got.some((e) => SETS.includes(e.messageType))) {
      throw new ConformanceFailure(`${deviceName} received no group or policy set to order against the releases (clause 8.2.2):\n${this.trace.describe((x) => x.to === deviceName, this.since)}`);
    }
    checkReleasesBeforeSets(got);
  }

  /** Nothing of `types` reaches the device during the quiet period after the action. */
  async expectNothingAtDevice(deviceName: string, types: string[], why: string): Promise<void> {
    await this.trace.quietUntil(this.sinceAt, this.ctx.ixit.timing.quietPeriodMs);
    const got = this.trace.filter(this.toDevice(deviceName, types), this.since);
    if (got.length) throw new ConformanceFailure(`${deviceName} received ${got.map((e) => `${e.messageType} (#${e.seq})`).join(', ')}: ${why}`, got);
  }

  private reportsAbout(alias: string, userName: string): EntryMatch {
    const sp = this.sp(alias);
    const user = this.user(userName).identity;
    return (e) => e.kind === 'notify' && e.to === sp.name && e.messageType === 'DPE_Client_ID_Report' && reportIsAbout(e, user);
  }

  async expectReport(alias: string, userName: string, x: ReportExpectation): Promise<TraceEntry> {
    const e = await this.trace.waitFor(this.reportsAbout(alias, userName), this.since, this.deadline);
    if (!e) {
      throw new ConformanceFailure(
        `the ${alias} provider received no DPE_Client_ID_Report about ${userName} within ${this.deadline} ms, ` +
          `though ${userName}'s Client ID changed and it is concerned with ${userName} (clause 8.2.3). What it received since the action:\n` +
          this.trace.describe((m) => m.to === this.sp(alias).name, this.since),
      );
    }
    checkReport(e, x);
    return e;
  }

  async expectNoReport(alias: string, userName: string, why: string): Promise<void> {
    await this.trace.quietUntil(this.sinceAt, this.ctx.ixit.timing.quietPeriodMs);
    const got = this.trace.filter(this.reportsAbout(alias, userName), this.since);
    if (got.length) throw new ConformanceFailure(`the ${alias} provider received ${got.length} DPE_Client_ID_Report(s) about ${userName}: ${why}`, got);
  }

  async expectUserlessReport(alias: string, clientId: string, deviceName: string): Promise<void> {
    const sp = this.sp(alias);
    const match: EntryMatch = (e) => e.kind === 'notify' && e.to === sp.name && reportIsUserless(e, clientId);
    const e = await this.trace.waitFor(match, this.since, this.deadline);
    if (!e) {
      throw new ConformanceFailure(
        `the ${alias} provider received no DPE_Client_ID_Report with User-Identity null for ${deviceName}'s Client ID ${clientId} (clause 6.3.7). Received:\n` +
          this.trace.describe((m) => m.to === sp.name, this.since),
      );
    }
  }

  /** The last answer was a 4xx error object naming `code` (and `ie`, when given). */
  expectRejected(code: string, ie?: string): void {
    const a = this.lastAnswer;
    if (!a) throw new Error('no request was sent');
    if (a.status < 400 || a.status > 499 || !isErrorBody(a.body)) {
      throw new ConformanceFailure(`expected a 4xx answer with an Error object (binding, Errors), got ${a.status} ${JSON.stringify(a.body)}`);
    }
    if (a.body.Error.Code !== code) throw new ConformanceFailure(`expected Error Code ${code}, got ${a.body.Error.Code}: ${a.body.Error.Detail ?? ''}`);
    if (ie && a.body.Error.IE !== ie) throw new ConformanceFailure(`expected the Error to name IE ${ie}, it names ${JSON.stringify(a.body.Error.IE)}`);
  }

  /** The Client-ID bag of the last DPE_Client_ID_Response. */
  answeredClientIds(): string[] | null {
    const a = this.lastAnswer;
    if (!a || a.status !== 200) throw new ConformanceFailure(`the DPE_Client_ID_Query was answered ${a?.status} ${JSON.stringify(a?.body)}, expected 200 (clause 6.3.6.2)`);
    if (a.problems.length) throw new ConformanceFailure(`DPE_Client_ID_Response is malformed: ${a.problems.map((p) => `${p.ie ?? ''} ${p.detail}`).join('; ')} (clause 6.3.6.2)`);
    return bodyOf({ body: a.body } as TraceEntry)['Client-ID'] as string[] | null;
  }

  /** Messages from the target that broke the message catalog (the After hook fails on them). */
  malformed(): TraceEntry[] {
    return this.trace.entries.filter((e) => e.from === 'DPE Server' && e.problems.length > 0);
  }

  // ---- model ----------------------------------------------------------------------------

  private markConcerned(alias: string, userName: string): void {
    let s = this.concerned.get(alias);
    if (!s) this.concerned.set(alias, (s = new Set()));
    s.add(userName);
  }

  private userIdsSnapshot(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const u of this.users.values()) {
      m.set(u.name, [...new Set(this.devices.values())].filter((d) => d.sim === u.identity && this.registeredUser.get(d.name) === u.identity && d.clientId).map((d) => d.clientId!));
    }
    return m;
  }

  private readonly changedUsers = new Set<string>();

  private noteRegistration(deviceName: string, user: string | null, before: Map<string, string[]>): void {
    const prev = this.registeredUser.get(deviceName);
    this.registeredUser.set(deviceName, user);
    const after = this.userIdsSnapshot();
    for (const [name, ids] of after) if (JSON.stringify(ids) !== JSON.stringify(before.get(name) ?? [])) this.changedUsers.add(name);
    if (prev && prev !== user) {
      const u = [...this.users.values()].find((x) => x.identity === prev);
      if (u) this.changedUsers.add(u.name);
    }
  }

  /** Waits (without judging) for reports to concerned SPs about users whose Client IDs changed. */
  private async settleReports(mark: number): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const name of this.changedUsers) {
      for (const [alias, users] of this.concerned) {
        if (users.has(name)) waits.push(this.trace.waitFor(this.reportsAbout(alias, name), mark, this.deadline));
      }
    }
    this.changedUsers.clear();
    await Promise.all(waits);
  }
}
