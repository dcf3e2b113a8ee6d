/**
 * One scenario's world: its parties (users, mock devices, mock SPs and what each SP has been
 * told), the oracle (the harness's model of the truth), the trace, the judgement and the pacing
 * of actions. The actions the steps take through the binding are in device-actions.ts (`devices`)
 * and sp-actions.ts (`sps`); the checks live in src/harness/areas, one module per feature folder;
 * this module only remembers and paces.
 */
import { randomBytes } from 'node:crypto';
import { MockDevice } from '../../mocks/device';
import type { Party, ScenarioRoute } from '../../mocks/parties';
import type { MockSp } from '../../mocks/service-provider';
import { SpKnowledge } from '../../mocks/sp-knowledge';
import type { Setting } from '../../mocks/dpe-state';
import type { SpFault } from '../../mocks/sp-faults';
import { IE, received } from '../catalog/protocol';
import { erratumReading } from '../requirements/applicability';
import type { OneReleaseCheck } from './areas/repeated-releases';
import type { BadRegistration } from './bad-input';
import type { HarnessContext } from './context';
import { DeviceActions } from './device-actions';
import { ConformanceFailure } from './expect';
import { Judgement } from './judgement';
import type { User, UserKind } from './oracle';
import { Oracle } from './oracle';
import type { Outcome } from './settle';
import { giveUp, judgedAtSettle, pendingOutcomes } from './settle';
import { SpActions } from './sp-actions';
import type { Answer } from './target';
import type { EntryMatch, TraceEntry } from './trace';
import { Trace } from './trace';

export type { User, UserKind } from './oracle';

export class Scenario {
  readonly id = randomBytes(4).toString('hex');
  readonly trace = new Trace();
  readonly judgement: Judgement;
  readonly oracle: Oracle;
  /** What the devices do (registrations, SIM moves, triggers) and what the SPs do (DPE-2). */
  readonly devices = new DeviceActions(this);
  readonly sps = new SpActions(this);
  /** Devices by name ("phone A") and by Notify-URI key ("phone-A"). */
  private readonly deviceIndex = new Map<string, MockDevice>();
  /** What each SP (by alias) has been told in this scenario. */
  private readonly knowledge = new Map<string, SpKnowledge>();
  /** Trace seq and time at which the current action began. */
  since = 1;
  sinceAt = 0;
  /** The trace seq at which each action began, in order. */
  readonly actionMarks: number[] = [];
  /** The one-release checks the steps made, judged again over all the scenario received (./areas/repeated-releases.ts). */
  readonly oneReleaseChecks: OneReleaseCheck[] = [];
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
  /** How many of lateEntries the last late judgement saw (src/harness/settle.ts lateVerdicts). */
  lateJudged = 0;
  readonly route: ScenarioRoute;
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
    this.oracle = new Oracle(ctx.ics, (d) => this.deviceIndex.get(d)?.clientId);
    this.route = {
      id: this.id,
      trace: this.trace,
      devices: this.deviceIndex,
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
    let d = this.deviceIndex.get(name);
    if (!d) {
      const key = name.replace(/\s+/g, '-');
      const spelling = {
        groupIdHyphen: erratumReading(this.ctx.ics, 'E01') === 'lenient',
        policyIdUnderscore: erratumReading(this.ctx.ics, 'E02') === 'lenient',
      };
      d = new MockDevice(name, this.ctx.identities.imei(), this.ctx.network.clientUri(this.id, key), this.ctx.target, this.trace, spelling);
      this.deviceIndex.set(key, d);
      this.deviceIndex.set(name, d);
    }
    return d;
  }

  allDevices(): MockDevice[] {
    return [...new Set(this.deviceIndex.values())];
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
    this.actionMarks.push(this.since);
    this.idsAtAction = new Map(this.allDevices().map((d) => [d.name, d.clientId]));
  }

  // ---- actions --------------------------------------------------------------------------

  // ---- pacing -----------------------------------------------------------------------

  /**
   * Waits (without judging) until what the settled judgement will judge has arrived — the
   * settings devices must hold, the reports SPs are owed — each until its own deadline from its
   * cause, so the waits of several set-up steps overlap (act() adds a quiet period where a server
   * may legally add what the model cannot predict). Releases are not waited for here: they are
   * judged only by the steps that look at them (act() waits for them in such a scenario), and a
   * late one changes no state that a set of a later cause made.
   */
  async settleSetup(): Promise<void> {
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
   * message overlap instead of adding up — or until an arrival decides it (a set of a device
   * change, for its releases: firstSetOfChange). One that did not come is given up: no step, set-up or
   * settling waits for it again, the trace marks it not received (the chart's red mark), and the
   * settled judgement or the step that looks at it says what is missing. Returns whether
   * everything selected arrived.
   */
  async awaitOutcomes(which: (o: Outcome) => boolean = () => true): Promise<boolean> {
    // one wait in the ledger, from its first round to its end: ended by what it waited for coming, or by a deadline
    let t: number | undefined;
    const done = (arrived: boolean) => {
      if (t !== undefined) this.trace.waits.end(arrived ? 'arrived' : 'missed', t);
      return arrived;
    };
    // bounded: every round ends at an arrival or at the next due time, and every due time is at most one deadline away
    for (;;) {
      const now = this.trace.now();
      const open = pendingOutcomes(this).filter((o) => which(o) && !this.givenUp.has(o.key));
      if (!open.length) return done(true);
      for (const o of open) if (!this.predictedAt.has(o.key)) this.predictedAt.set(o.key, now);
      const due = (o: Outcome) => (o.decidedBy ? now : this.predictedAt.get(o.key)! + this.deadline);
      for (const o of open) if (due(o) <= now) giveUp(this, o);
      const waiting = open.filter((o) => due(o) > now);
      if (!waiting.length) return done(false);
      t ??= this.trace.waits.start();
      await this.trace.anyEntryWithin(Math.min(...waiting.map(due)) - now);
    }
  }

  /**
   * A check waited for `messageType` to reach `to` in vain (since the current action, or
   * `o.since`): the chart marks it "expected … within N ms, not received".
   */
  missed(to: string, messageType: string, o: { detail?: string; since?: number; arrivedIf?: EntryMatch; before?: TraceEntry } = {}): void {
    const before = o.before ? { before: { seq: o.before.seq, messageType: o.before.messageType } } : {};
    this.trace.notReceived(
      { to, messageType, detail: o.detail, since: o.since ?? this.since, withinMs: this.deadline, ...before },
      o.arrivedIf,
    );
  }

  // ---- what the checks look at ----------------------------------------------------------

  toDevice(device: MockDevice, types: readonly string[]): EntryMatch {
    return (e) => e.kind === 'notify' && e.to === device.name && types.includes(e.messageType);
  }

  /** Reports to `sp` about `user` (their User-Identity names the user). */
  reportsAbout(sp: MockSp, user: User): EntryMatch {
    return (e) => {
      const u = received('DPE_Client_ID_Report', e.body)[IE.UserIdentity];
      return (
        e.kind === 'notify' && e.to === sp.name && e.messageType === 'DPE_Client_ID_Report' && Array.isArray(u) && u.includes(user.identity)
      );
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
