/**
 * One scenario's view of the DPE network: its users, devices and SPs, the harness's own model
 * of who uses which device (built from the steps, never from the server's internals), and the
 * waits and checks the steps call. Steps stay thin; this is where the logic is.
 */
import { RELEASE_MESSAGES, SET_MESSAGES } from '../catalog/messages';
import { randomBytes } from 'node:crypto';
import { MockDevice, type RegisterOptions } from '../../mocks/device';
import type { MockSp, ReportingPolicy } from '../../mocks/service-provider';
import type { ScenarioRoute } from '../../mocks/network';
import type { HarnessContext } from './context';
import { messageDef } from '../catalog/messages';
import { erratumReading } from '../requirements/applicability';
import {
  ConformanceFailure,
  bodyOf,
  checkAddressedTo,
  checkGroupBeforeItsPolicy,
  checkIes,
  checkNoClientIdOnTwoDevices,
  checkReportMessageIdsUnique,
  checkRetry,
  checkReleasesBeforeSets,
  checkReport,
  checkRestored,
  releasedGroup,
  releasedPolicy,
  reportIsAbout,
  reportIsUserless,
  type Definition,
  type IeRow,
  type IeTypeWord,
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

const RELEASES = RELEASE_MESSAGES;
const SETS = SET_MESSAGES;
const DEVICE_CHANGE = [...RELEASE_MESSAGES, ...SET_MESSAGES];

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
  /** Per device: whether its last registration answer gave a Client ID this scenario had not seen. */
  private readonly answeredNewId = new Map<string, boolean>();
  /** Every (device, Client ID) a registration answer of this scenario paired. */
  private readonly given: Array<{ device: string; clientId: string }> = [];
  /** The request the last answer (lastAnswer) answers. */
  private lastRequest: Record<string, unknown> | undefined;
  lastAnswer: Answer | undefined;
  private lastDefect: BadRegistration | undefined;
  readonly route: ScenarioRoute;

  constructor(readonly ctx: HarnessContext) {
    this.route = {
      id: this.id,
      trace: this.trace,
      devices: this.devices,
      identities: () => [...[...this.users.values()].map((u) => u.identity), ...this.issued],
    };
    for (const sp of ctx.sps.values()) {
      sp.trace = this.trace;
      // SPs are shared by the worker: a refusal set up by an earlier scenario must not leak
      sp.acceptEverything();
    }
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
    this.noteAnswer(deviceName, answer, o.withoutUser ? null : device.sim, before);
    return answer;
  }

  /** The model follows what a registration answer said. */
  private noteAnswer(deviceName: string, answer: Answer, user: string | null, before: Map<string, string[]>): void {
    const device = this.device(deviceName);
    this.lastAnswer = answer;
    this.lastRequest = this.trace.entries.filter((e) => e.kind === 'request' && e.from === device.name).at(-1)?.body as Record<string, unknown> | undefined;
    if (answer.status !== 200 || !device.clientId) return;
    this.answeredNewId.set(device.name, !this.issued.includes(device.clientId));
    if (!this.issued.includes(device.clientId)) this.issued.push(device.clientId);
    this.given.push({ device: device.name, clientId: device.clientId });
    this.noteRegistration(deviceName, user, before);
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
    if (change) waits.push(this.deviceChangeMessagesTo(deviceName, mark));
    waits.push(this.settleReports(mark));
    await Promise.all(waits);
  }

  /** Setup: `user` is a SIM user whose SIM is in `device`, which registers. */
  async registerSimForSetup(userName: string, deviceName: string, o: RegisterOptions = {}): Promise<void> {
    this.user(userName, 'sim');
    this.insertSim(userName, deviceName);
    await this.registerForSetup(deviceName, o);
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

  /**
   * 6.1 server-driven registration: the upper tester asks the server to make `device` register
   * again (binding: POST /provisioning/registration-triggers); the mock device answers the
   * DPE_Registration_Trigger by registering, which expectTriggeredRegistration follows.
   */
  async triggerRegistration(deviceName: string): Promise<void> {
    const clientId = this.clientIdOf(deviceName);
    this.triggerBefore = this.userIdsSnapshot();
    this.beginAction();
    this.lastAnswer = await this.ctx.target.post('/provisioning/registration-triggers', { 'Client-ID': clientId }, this.trace, { from: 'upper tester' });
    if (this.lastAnswer.status !== 202) {
      throw new ConformanceFailure(
        `POST /provisioning/registration-triggers for ${deviceName} (${clientId}) was answered ${this.lastAnswer.status} ${JSON.stringify(this.lastAnswer.body)}, ` +
          'expected 202 (binding; the ICS declares serverDrivenRegistration)',
      );
    }
  }

  private triggerBefore = new Map<string, string[]>();

  /** 6.1: `device` was sent DPE_Registration_Trigger, labelled with its Client ID, and registered again. */
  async expectTriggeredRegistration(deviceName: string): Promise<void> {
    const device = this.device(deviceName);
    const clientId = this.idsAtAction.get(device.name) ?? this.clientIdOf(deviceName);
    const trigger = await this.expectAtDevice(deviceName, 'DPE_Registration_Trigger');
    checkAddressedTo([trigger], clientId, deviceName);
    const answer = await device.reregistered();
    if (!answer) throw new ConformanceFailure(`${deviceName} received DPE_Registration_Trigger (#${trigger.seq}) but its new registration got no answer (clause 6.1)`, [trigger]);
    this.noteAnswer(deviceName, answer, device.sim, this.triggerBefore);
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
    this.lastRequest = req.body;
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
    if (which === 'new' && !this.answeredNewId.get(device.name)) {
      throw new ConformanceFailure(`${deviceName} was given Client ID ${id}, which this scenario had seen before; a new one was due (clause 8.2.2, Client ID policy ${this.ctx.ics.clientIdPolicy})`);
    }
  }

  /** Two devices hold two different Client IDs (clause 8.1.1: the Client ID is the device's). */
  expectDistinctClientIds(a: string, b: string): void {
    if (this.clientIdOf(a) === this.clientIdOf(b)) {
      throw new ConformanceFailure(`${a} and ${b} were given the same Client ID ${this.clientIdOf(a)}: two devices, two Client IDs (clause 8.1.1)`);
    }
  }

  /** The last answer carries the Message-ID of the request it answers. */
  expectEchoedMessageId(): void {
    const sent = this.lastRequest;
    if (!sent) throw new Error('no request was sent');
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
    this.lastRequest = this.trace.entries.filter((e) => e.kind === 'request' && e.from === this.sp(alias).name).at(-1)?.body as Record<string, unknown>;
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

  toDevice(deviceName: string, types: readonly string[]): EntryMatch {
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
    const match = this.toDevice(deviceName, DEVICE_CHANGE);
    const got = await this.trace.waitForCount(match, this.since, RELEASES.length + (all ? defined.length : 0), this.deadline);
    const sets = got.filter((e) => SETS.includes(e.messageType));
    checkRestored(sets, defined, all);
    checkReleasesBeforeSets(got);
    checkGroupBeforeItsPolicy(got);
  }

  async expectReleasesBeforeSets(deviceName: string): Promise<void> {
    const got = await this.deviceChangeMessagesTo(deviceName);
    if (!got.some((e) => SETS.includes(e.messageType))) {
      throw new ConformanceFailure(`${deviceName} received no group or policy set to order against the releases (clause 8.2.2):\n${this.trace.describe((x) => x.to === deviceName, this.since)}`);
    }
    checkReleasesBeforeSets(got);
  }

  /** 8.2.2: a registration with nothing changed sends no release. */
  expectNoReleases(deviceName: string): Promise<void> {
    return this.expectNothingAtDevice(deviceName, RELEASES, 'a registration with nothing changed is not a device change (clause 8.2.2)');
  }

  /** 8.2.2: only the registering client is sent releases and sets. */
  expectNoDeviceChangeMessages(deviceName: string): Promise<void> {
    return this.expectNothingAtDevice(deviceName, DEVICE_CHANGE, 'only the registering client is brought up to date (clause 8.2.2)');
  }

  /** Nothing of `types` reaches the device during the quiet period after the action. */
  private async expectNothingAtDevice(deviceName: string, types: readonly string[], why: string): Promise<void> {
    await this.trace.quietUntil(this.sinceAt, this.ctx.ixit.timing.quietPeriodMs);
    const got = this.trace.filter(this.toDevice(deviceName, types), this.since);
    if (got.length) throw new ConformanceFailure(`${deviceName} received ${got.map((e) => `${e.messageType} (#${e.seq})`).join(', ')}: ${why}`, got);
  }

  private reportsAbout(alias: string, userName: string): EntryMatch {
    const sp = this.sp(alias);
    const user = this.user(userName).identity;
    return (e) => e.kind === 'notify' && e.to === sp.name && e.messageType === 'DPE_Client_ID_Report' && reportIsAbout(e, user);
  }

  /** Waits for a report to `alias` about `user` since the action; checks it against `x` when given. */
  async expectReport(alias: string, userName: string, x?: ReportExpectation): Promise<TraceEntry> {
    const e = await this.trace.waitFor(this.reportsAbout(alias, userName), this.since, this.deadline);
    if (!e) {
      throw new ConformanceFailure(
        `the ${alias} provider received no DPE_Client_ID_Report about ${userName} within ${this.deadline} ms, ` +
          `though ${userName}'s Client ID changed and it is concerned with ${userName} (clause 8.2.3). What it received since the action:\n` +
          this.trace.describe((m) => m.to === this.sp(alias).name, this.since),
      );
    }
    if (x) checkReport(e, x);
    return e;
  }

  async expectNoReport(alias: string, userName: string, why: string): Promise<void> {
    await this.trace.quietUntil(this.sinceAt, this.ctx.ixit.timing.quietPeriodMs);
    const got = this.trace.filter(this.reportsAbout(alias, userName), this.since);
    if (got.length) throw new ConformanceFailure(`the ${alias} provider received ${got.length} DPE_Client_ID_Report(s) about ${userName}: ${why}`, got);
  }

  /** 6.3.7: `alias` is told that `device`'s Client ID lives on with no user (User-Identity null). */
  async expectUserlessReport(alias: string, deviceName: string): Promise<void> {
    const clientId = this.clientIdOf(deviceName);
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

  /**
   * 8.2.3 / 6.3.7: `alias` is told about `user`'s Client IDs: `now` (devices whose IDs the
   * report must list; `exactly`: nothing else), or `none` (Client-ID null); `replacing`: the
   * device whose former ID the user lost (Replaces-Client-ID may list it, and only it);
   * `first`: the user had no Client ID before (no Replaces-Client-ID). Every listed ID must be
   * one the user holds now.
   */
  async expectReportAbout(alias: string, userName: string, o: { now?: string[]; exactly?: boolean; none?: boolean; replacing?: string; first?: boolean }): Promise<void> {
    const current = this.currentClientIdsOf(userName);
    const now = (o.now ?? []).map((d) => this.clientIdOf(d));
    const x: ReportExpectation = o.none
      ? { nullClientId: true }
      : { includes: now, within: o.exactly ? now : current };
    if (o.replacing) {
      const previous = this.previousClientIdOf(o.replacing);
      x.replaces = [previous];
      if (!o.none && !current.includes(previous)) x.excludes = [previous];
    }
    if (o.first) x.noReplaces = true;
    await this.expectReport(alias, userName, x);
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

  // ---- DPE-2 without credentials, retries ------------------------------------------------

  /** A DPE-2 request from a party that is not an onboarded SP (binding: rejected UNAUTHORIZED). */
  async sendWithoutValidToken(credentials: string, what: 'group' | 'query', userName: string, groupId = 'unauthorised', properties = 'gps'): Promise<void> {
    const known = this.sp([...this.ctx.sps.keys()][0]);
    const auth: Record<string, string | undefined> = {
      'without a token': undefined,
      'with an unknown token': `Bearer unknown-${this.id}-token`,
      'with a token of another scheme': `Basic ${known.token}`,
    };
    if (!(credentials in auth)) throw new Error(`unknown credentials "${credentials}"; known: ${Object.keys(auth).join(', ')}`);
    const user = this.user(userName).identity;
    const body =
      what === 'group'
        ? { 'Message-Type': 'DPE_Group_Set', 'Message-ID': 1, 'User-Identity': user, 'Group-ID': groupId, Properties: properties.split(',').map((p) => p.trim()) }
        : { 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 1, 'Query-Key': user };
    const value = auth[credentials];
    this.beginAction();
    this.lastRequest = body;
    this.lastAnswer = await this.ctx.target.post('/dpe-2', body, this.trace, {
      from: 'unknown provider',
      headers: value ? { Authorization: value } : {},
    });
  }

  /** The SP answers 503 to the first report it is sent, so that the target must deliver it again. */
  turnAwayFirstReport(alias: string): void {
    this.sp(alias).turnAwayReports(1);
  }

  /** binding: the refused report is delivered again with the same Message-ID and content. */
  async expectReportRetried(alias: string, userName: string): Promise<void> {
    const got = await this.trace.waitForCount(this.reportsAbout(alias, userName), this.since, 2, this.deadline);
    if (got.length < 2) {
      throw new ConformanceFailure(
        `the ${alias} provider refused the DPE_Client_ID_Report about ${userName} and was not sent it again within ${this.deadline} ms (binding, at-least-once delivery):\n` +
          this.trace.describe((m) => m.to === this.sp(alias).name, this.since),
        got,
      );
    }
    checkRetry(got[0], got[1]);
  }

  /** binding: the distinct reports `alias` received about `user` since the scenario began carry distinct Message-IDs. */
  async expectDistinctReportIds(alias: string, userName: string, minimum: number): Promise<void> {
    const got = await this.trace.waitForCount(this.reportsAbout(alias, userName), 1, minimum, this.deadline);
    checkReportMessageIdsUnique(got, minimum);
  }

  // ---- message tables ------------------------------------------------------------------

  /** The message a table step looks at: one a device receives, the last answer, or a report. */
  async messageFor(source: { device?: string; type: string; sp?: string; user?: string }): Promise<{ body: Record<string, unknown>; entries: TraceEntry[] }> {
    if (source.device) {
      const e = await this.expectAtDevice(source.device, source.type);
      return { body: bodyOf(e), entries: [e] };
    }
    if (source.sp && source.user) {
      const e = await this.expectReport(source.sp, source.user);
      return { body: bodyOf(e), entries: [e] };
    }
    const a = this.lastAnswer;
    if (!a || a.status !== 200) throw new ConformanceFailure(`${source.type} expected as the answer, got ${a?.status} ${JSON.stringify(a?.body)}`);
    return { body: (a.body ?? {}) as Record<string, unknown>, entries: [] };
  }

  /**
   * A message table of the CR: every row names a mandatory IE, its type in the feature's
   * words and the value it must have ("any", "echoed", "null", "<device>'s Client ID",
   * "<user>'s identity" or a literal such as "*").
   */
  async expectMessageTable(source: { device?: string; type: string; sp?: string; user?: string }, rows: Array<Record<string, string>>): Promise<void> {
    const msg = await this.messageFor(source);
    const def = messageDef(source.type);
    const ieRows: IeRow[] = rows.map((r) => {
      const ie = r['IE'];
      const type = r['type'] as IeTypeWord;
      const ieDef = def.ies.find((x) => x.name === ie);
      if (!ieDef) throw new Error(`the message catalog has no IE ${ie} in ${def.type}`);
      const lenient = ieDef.lenient && erratumReading(this.ctx.ics, ieDef.lenient.erratum) === 'lenient' ? ieDef.lenient : undefined;
      return {
        ie,
        type,
        value: this.resolveValue(r['value'] ?? 'any', type),
        altNames: lenient?.name ? [lenient.name] : [],
        altValues: lenient?.value ? [lenient.value] : [],
      };
    });
    checkIes(def.type, msg.body, def.clause, ieRows, msg.entries);
  }

  private resolveValue(word: string, type: IeTypeWord): unknown {
    const bag = type.startsWith('bag');
    if (word === 'any') return undefined;
    if (word === 'null') return null;
    if (word === 'echoed') {
      if (!this.lastRequest) throw new Error('no request to echo');
      return this.lastRequest['Message-ID'];
    }
    const cid = /^(.+)'s Client ID$/.exec(word);
    if (cid) return bag ? [this.clientIdOf(cid[1])] : this.clientIdOf(cid[1]);
    const ident = /^(.+)'s identity$/.exec(word);
    if (ident) return bag ? [this.user(ident[1]).identity] : this.user(ident[1]).identity;
    return word;
  }

  /**
   * 6.2.3.3 / 6.2.6.1: "all" is one release with `*`, not a release per group or policy.
   * Counted once the whole device change has arrived: a release sent after the sets would
   * break the order rule (8.2.2) anyway, so no quiet period is needed here.
   */
  async expectSingleWildcardRelease(deviceName: string, type: 'DPE_Group_Release' | 'DPE_Policy_Release'): Promise<void> {
    const got = (await this.deviceChangeMessagesTo(deviceName)).filter((e) => e.messageType === type);
    const ie = type === 'DPE_Group_Release' ? 'Group_ID' : 'Policy-ID';
    const lenient = erratumReading(this.ctx.ics, type === 'DPE_Group_Release' ? 'E01' : 'E02') === 'lenient';
    const values = got.map((e) => (type === 'DPE_Group_Release' ? releasedGroup(e, lenient) : releasedPolicy(e, lenient)));
    if (got.length !== 1 || values[0] !== '*') {
      const clause = type === 'DPE_Group_Release' ? '6.2.3.3' : '6.2.6.1';
      throw new ConformanceFailure(
        `${deviceName} received ${got.length} ${type} with IE ${ie} ${JSON.stringify(values)}; releasing all is one message with ${ie} "*" (clause ${clause})`,
        got,
      );
    }
  }

  // ---- device change details -------------------------------------------------------------

  /**
   * The releases and sets a device change sent to `device`: waits until as many arrived as the
   * model predicts, or the deadline. Callers judge what they need of them, so a missing
   * message fails only the scenarios about it.
   */
  private async deviceChangeMessagesTo(deviceName: string, since = this.since): Promise<TraceEntry[]> {
    const sim = this.device(deviceName).sim;
    const user = sim ? [...this.users.values()].find((u) => u.identity === sim) : undefined;
    const n = RELEASES.length + (user ? this.definitionsOf(user.name).length : 0);
    return this.trace.waitForCount(this.toDevice(deviceName, DEVICE_CHANGE), since, n, this.deadline);
  }

  /** binding: what a device change sends is labelled with the Client ID the registering device was given. */
  async expectAddressedToCurrent(deviceName: string): Promise<void> {
    const got = await this.deviceChangeMessagesTo(deviceName);
    if (!got.length) throw new ConformanceFailure(`${deviceName} received no release or set within ${this.deadline} ms, so none to check the DPE-Client-ID of (clause 8.2.2)`);
    checkAddressedTo(got, this.clientIdOf(deviceName), deviceName);
  }

  /** 8.2.2 (derived, E31 strict): during the quiet period, nothing is set that no SP defined for the user. */
  async expectOnlyDefinedSets(deviceName: string, userName: string): Promise<void> {
    const expected = await this.deviceChangeMessagesTo(deviceName);
    // an extra set may follow the expected ones: the quiet period starts after the last of them
    const lastAt = Math.max(this.sinceAt, ...expected.map((e) => e.at));
    await this.trace.quietUntil(lastAt, this.ctx.ixit.timing.quietPeriodMs);
    checkRestored(this.trace.filter(this.toDevice(deviceName, SETS), this.since), this.definitionsOf(userName), false);
  }

  /** 8.2.2 (derived): each group policy set arrives after the set of its group. */
  async expectGroupsBeforeTheirPolicies(deviceName: string): Promise<void> {
    const got = await this.deviceChangeMessagesTo(deviceName);
    const policies = got.filter((e) => e.messageType === 'DPE_Group_Policy_Set');
    if (!policies.length) throw new ConformanceFailure(`${deviceName} received no DPE_Group_Policy_Set to order against its group (clause 8.2.2)`, got);
    checkGroupBeforeItsPolicy(got);
    for (const p of policies) {
      const group = bodyOf(p)['Group-ID'];
      if (!got.some((e) => e.messageType === 'DPE_Group_Set' && bodyOf(e)['Group-ID'] === group)) {
        throw new ConformanceFailure(`DPE_Group_Policy_Set (#${p.seq}) names group ${JSON.stringify(group)}, which ${deviceName} was not given (clause 8.2.2)`, [p]);
      }
    }
  }

  /** binding: a group an SP set for the user reaches `device` as defined. */
  async expectGroupRelayed(deviceName: string, groupId: string, properties: string): Promise<void> {
    const match: EntryMatch = (e) => this.toDevice(deviceName, ['DPE_Group_Set'])(e) && bodyOf(e)['Group-ID'] === groupId;
    const e = await this.trace.waitFor(match, this.since, this.deadline);
    if (!e) {
      throw new ConformanceFailure(`${deviceName} was not sent the group ${groupId} within ${this.deadline} ms (binding: SP-defined settings are relayed to the user's current clients):\n${this.trace.describe((x) => x.to === deviceName, this.since)}`);
    }
    const want = properties.split(',').map((p) => p.trim()).filter(Boolean);
    checkIes('DPE_Group_Set', bodyOf(e), 'binding', [{ ie: 'Properties', type: 'bag of strings', value: want }], [e]);
    checkAddressedTo([e], this.clientIdOf(deviceName), deviceName);
  }

  /** 6.1 (derived): no Client ID answered in this scenario went to two devices. */
  expectNoClientIdOnTwoDevices(): void {
    if (this.given.length < 2) throw new Error('fewer than two registrations were answered: nothing to compare');
    checkNoClientIdOnTwoDevices(this.given);
  }

  /** The Client IDs the model holds for `user` now: devices that registered with the user and still hold the SIM. */
  currentClientIdsOf(userName: string): string[] {
    return this.userIdsSnapshot().get(userName) ?? [];
  }

  /** 8.2.2: the device was given a Client ID that no other device was given in this scenario. */
  expectOwnClientId(deviceName: string): void {
    this.expectRegistrationAnswer(deviceName);
    checkNoClientIdOnTwoDevices(this.given);
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
