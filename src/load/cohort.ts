/**
 * One cohort of a load run, live: its mock devices (mocks/device.ts) and its own senders for the
 * IXIT's SPs (mocks/service-provider.ts: an SP's requests are recorded in the trace of the cohort
 * they are about; the SPs' one listener on the mock network receives every cohort's reports and
 * the network attributes each by the identities it names), a route of the mock network
 * (mocks/network.ts) whose trace records into the run's history, and the cohort's model, fed live.
 *
 * It plays its plan (./workload.ts) one action at a time. Before the next action it waits —
 * event-driven, as a Scenario does between steps — until everything the model says is owed has
 * arrived, each for at most the IXIT delivery deadline plus the retry horizon from when it was
 * first owed: so the next action never starts while the last one is still being delivered, and
 * the verdict's checkpoints (./invariants.ts) judge a settled cohort.
 */
import { MockDevice } from '../../mocks/device';
import type { MockNetwork } from '../../mocks/network';
import type { ScenarioRoute } from '../../mocks/parties';
import { MockSp } from '../../mocks/service-provider';
import type { Ics } from '../config/ics';
import type { Ixit, IxitSp } from '../config/ixit';
import { retryHorizonOf } from '../config/timing';
import { pendingAtSps } from '../harness/areas/client-id';
import { pendingAtDevices } from '../harness/areas/device-outcome';
import type { Outcome } from '../harness/settle';
import { ConformanceFailure } from '../harness/expect';
import type { IdentityFactory } from '../harness/identities';
import type { Answer, Target } from '../harness/target';
import { TargetError } from '../harness/target';
import { erratumReading } from '../requirements/applicability';
import type { CohortTrace, HistoryEntry, HistoryRecorder, RosterDevice, RosterUser } from './history';
import type { Limiter } from './limiter';
import { CohortModel } from './model';
import type { Action, ActionKind } from './actions';
import type { Rng } from './rng';
import type { CohortLayout } from './workload';
import { CohortPlan } from './workload';

export type OwedKind = Outcome['kind'];

export interface CohortEnvironment {
  ics: Ics;
  ixit: Ixit;
  sps: readonly IxitSp[];
  target: Target;
  network: MockNetwork;
  recorder: HistoryRecorder;
  identities: IdentityFactory;
  /** Bounds the requests in flight to the target (its connection limit is not the load's to test). */
  limiter: Limiter;
  /** Makes route ids unique across runs against one long-lived target. */
  runTag: string;
  stats: CohortStats;
}

/** What a cohort tells the run's figures. */
export interface CohortStats {
  answered(kind: ActionKind, ms: number, status: number): void;
  /** An owed message (a release, a setting, a report) arrived `ms` after it was first owed. */
  arrived(ms: number, kind: OwedKind): void;
  /** An owed message did not arrive within its bound. */
  gaveUp(): void;
}

export class CohortRunner {
  readonly model: CohortModel;
  readonly route: ScenarioRoute;
  readonly trace: CohortTrace;
  readonly devices = new Map<string, MockDevice>();
  readonly users = new Map<string, RosterUser>();
  readonly rosterDevices: RosterDevice[] = [];
  readonly plan: CohortPlan;
  /** Actions done. */
  actions = 0;
  /** Set when the target left a request unanswered: the cohort stops (its state is unknown). */
  stopped: string | undefined;
  private readonly senders = new Map<string, MockSp>();
  private readonly givenUp = new Set<string>();
  private actionSince = 1;

  constructor(
    readonly layout: CohortLayout,
    private readonly env: CohortEnvironment,
    rng: Rng,
  ) {
    for (const sp of env.sps) {
      const sender = new MockSp(sp.alias, sp.spId, sp.token, env.target);
      this.senders.set(sp.alias, sender);
    }
    // the SPs' party names in the traces are the mock SPs' own
    const sps = [...this.senders.values()].map((sp) => ({ alias: sp.alias, name: sp.name }));
    const spNames = new Set(sps.map((sp) => sp.name));
    for (const u of layout.users) {
      this.users.set(u.name, {
        name: u.name,
        cohort: layout.cohort,
        kind: u.kind,
        identity: u.kind === 'sim' ? env.identities.msisdn() : env.identities.sipUri(u.name.replace(/[^a-z0-9]/gi, '')),
      });
    }
    const routeId = `${env.runTag}-${layout.cohort}`;
    const devices = new Map<string, MockDevice>();
    // the model is made once the devices have their identities; nothing is recorded before
    this.trace = env.recorder.traceFor(
      layout.cohort,
      (e) => this.model.apply(e),
      (party) => spNames.has(party),
    );
    const spelling = {
      groupIdHyphen: erratumReading(env.ics, 'E01') === 'lenient',
      policyIdUnderscore: erratumReading(env.ics, 'E02') === 'lenient',
    };
    for (const name of layout.devices) {
      const key = name.replace(/\s+/g, '-');
      const d = new MockDevice(name, env.identities.imei(), env.network.clientUri(routeId, key), env.target, this.trace, spelling);
      this.devices.set(name, d);
      devices.set(key, d);
      this.rosterDevices.push({ name, cohort: layout.cohort, imei: d.deviceIdentity });
    }
    this.model = new CohortModel(layout.cohort, { devices: this.rosterDevices, users: [...this.users.values()], sps }, env.ics);
    for (const sender of this.senders.values()) sender.trace = this.trace;
    this.route = {
      id: routeId,
      trace: this.trace,
      devices,
      identities: () => this.model.identities(),
      onSpMessage: (_sp, entry, status) => env.recorder.answeredBySp(entry, status),
      ended: false,
      onLate: () => undefined,
    };
    this.plan = new CohortPlan(
      layout,
      env.sps.map((sp) => sp.alias),
      rng,
    );
  }

  /** Plays the plan until `untilMs` (epoch ms) or `maxActions`, whichever comes first; the set-up registrations always. */
  async run(untilMs: number, maxActions: number): Promise<void> {
    for (const a of this.plan.setup()) {
      if (!(await this.perform(a))) return;
    }
    while (this.actions < maxActions && Date.now() < untilMs && !this.env.recorder.full()) {
      if (!(await this.perform(this.plan.next()))) return;
    }
  }

  /** The drain: waits for what the last action caused (bounded like any wait between actions). */
  drain(): Promise<void> {
    return this.stopped ? Promise.resolve() : this.settle();
  }

  /** Waits until the previous action settled, then performs `a`; false once the cohort has stopped. */
  private async perform(a: Action): Promise<boolean> {
    if (this.stopped) return false;
    await this.settle();
    this.actionSince = this.trace.mark();
    const mark = this.trace.mark();
    let answer: Answer | undefined;
    try {
      answer = await this.env.limiter.run(() => this.send(a));
    } catch (e) {
      if (!(e instanceof ConformanceFailure) && !(e instanceof TargetError)) throw e;
      // the history holds the "no answer" entry; what the target did with the request is unknown
      this.stopped = (e as Error).message;
      return false;
    }
    this.actions++;
    const entries = this.trace.entries as HistoryEntry[];
    const request = entries[mark - 1];
    const reply = request && entries.slice(mark).find((e) => e.kind === 'answer' && e.to === request.from);
    if (request && reply) this.env.stats.answered(a.kind, reply.t - request.t, answer.status);
    return true;
  }

  private send(a: Action): Promise<Answer> {
    const user = this.users.get(a.user)!;
    switch (a.kind) {
      case 'new-user-new-device':
      case 'sim-move':
      case 'multi-device':
      case 're-registration': {
        if (a.kind === 'sim-move' && a.from) this.devices.get(a.from)!.sim = null;
        const d = this.devices.get(a.device)!;
        d.sim = user.identity;
        return d.register();
      }
      case 'define-group':
        return this.senders.get(a.sp)!.defineGroup(user.identity, a.groupId, a.properties);
      case 'define-property-policy':
        return this.senders.get(a.sp)!.definePropertyPolicy(user.identity, a.policyId, a.property, a.policy);
      case 'define-group-policy':
        return this.senders.get(a.sp)!.defineGroupPolicy(user.identity, a.policyId, a.groupId, a.policy);
      case 'query':
        return this.senders.get(a.sp)!.query(user.identity);
    }
  }

  /**
   * Waits until nothing the model says is owed is missing, each owed message for at most the
   * delivery deadline plus the retry horizon from when it was first owed (then it is given up:
   * the verdict will say it is missing); then, where the server may legally send more than the
   * model predicts, a quiet period (as Scenario.act does).
   */
  private async settle(): Promise<void> {
    const { deliveryDeadlineMs: deadline, quietPeriodMs } = this.env.ixit.timing;
    const bound = deadline + retryHorizonOf(this.env.ixit);
    const view = this.model.withoutEvidence();
    const owedSince = new Map<string, { at: number; kind: OwedKind }>();
    const hardStop = Date.now() + 2 * bound;
    for (let round = 0; round < 100_000; round++) {
      const now = this.trace.now();
      const open = [...pendingAtDevices(view), ...pendingAtSps(view)].filter((o) => !this.givenUp.has(o.key));
      const openKeys = new Set(open.map((o) => o.key));
      for (const [key, owed] of owedSince) {
        if (openKeys.has(key)) continue;
        this.env.stats.arrived(now - owed.at, owed.kind);
        owedSince.delete(key);
      }
      if (!open.length) break;
      for (const o of open) if (!owedSince.has(o.key)) owedSince.set(o.key, { at: now, kind: o.kind });
      const due = (key: string) => owedSince.get(key)!.at + bound;
      const waiting = open.filter((o) => {
        if (due(o.key) > now) return true;
        this.givenUp.add(o.key);
        owedSince.delete(o.key);
        this.env.stats.gaveUp();
        return false;
      });
      if (!waiting.length || Date.now() > hardStop) break;
      await this.trace.anyEntryWithin(Math.max(1, Math.min(...waiting.map((o) => due(o.key))) - now));
    }
    if (this.model.oracle.mayTrail(this.actionSince)) await this.trace.quietFor(quietPeriodMs, deadline);
  }
}
