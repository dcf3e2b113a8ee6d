/**
 * The workload of a load run: the mock devices are grouped in cohorts — a household of a few
 * devices, SIM users and a multi-device (SIP) user, and a spare device for a new user to come —
 * and each cohort plays a random but seeded sequence of what 8.2.2 and 8.2.3 are about: first
 * registrations (a new user on a new device), SIM moves, a multi-device user adding a device,
 * registrations that change nothing, and the SPs' group and policy definitions and Client ID
 * queries. Cohorts run concurrently; within a cohort one action at a time, as one household's
 * people act (./cohort.ts).
 *
 * Here: the cohorts' layout and each cohort's plan. Pure: the plan holds where each SIM is, which
 * device each user uses and what each SP defined, and only proposes actions (./actions.ts) that
 * make sense there (a group policy names a group its SP defined); its choices are drawn from a
 * seeded generator (./rng.ts).
 */
import type { ReportingPolicy } from '../../mocks/service-provider';
import type { UserKind } from '../harness/oracle';
import type { Action, ActionKind } from './actions';
import { WEIGHTS } from './actions';
import type { Rng } from './rng';

const PROPERTIES = ['speed', 'heading', 'battery', 'signal', 'location', 'temperature'];

export interface CohortLayout {
  cohort: string;
  devices: string[];
  users: Array<{ name: string; kind: UserKind }>;
  /** Registered first, one per device: a new user on a new device each. */
  initial: Array<{ device: string; user: string }>;
  /** Devices nobody has used yet, each with the new user who will. */
  spares: Array<{ device: string; user: string }>;
}

/** Devices per cohort for `devices` in all: 4, or more so that a run has at most 400 cohorts (the mock network keeps 500 routes). */
export function cohortSize(devices: number): number {
  return Math.max(4, Math.ceil(devices / 400));
}

/** The cohorts of `devices` devices: cohorts of cohortSize(devices), the last one smaller. */
export function layoutCohorts(devices: number): CohortLayout[] {
  const size = cohortSize(devices);
  const out: CohortLayout[] = [];
  for (let first = 0, i = 1; first < devices; first += size, i++) out.push(layoutCohort(`c${i}`, Math.min(size, devices - first)));
  return out;
}

/** One cohort of `n` devices: a quarter spare, one SIP user when three or more are in use, SIM users on the rest. */
export function layoutCohort(cohort: string, n: number): CohortLayout {
  const tag = cohort.slice(1);
  const devices = Array.from({ length: n }, (_, i) => `phone ${tag}.${i + 1}`);
  const spareCount = n >= 4 ? Math.floor(n / 4) : 0;
  const active = n - spareCount;
  const users: CohortLayout['users'] = [];
  const initial: CohortLayout['initial'] = [];
  for (const [i, device] of devices.slice(0, active).entries()) {
    const user = { name: `user ${tag}.${users.length + 1}`, kind: (active >= 3 && i === active - 1 ? 'sip' : 'sim') as UserKind };
    users.push(user);
    initial.push({ device, user: user.name });
  }
  const spares = devices.slice(active).map((device) => {
    const user = { name: `user ${tag}.${users.length + 1}`, kind: 'sim' as UserKind };
    users.push(user);
    return { device, user: user.name };
  });
  return { cohort, devices, users, initial, spares };
}

export class CohortPlan {
  /** The user whose identity each device holds now (null: none, e.g. its SIM was taken out). */
  private readonly holder = new Map<string, string | null>();
  private readonly spares: Array<{ device: string; user: string }>;
  private readonly kinds = new Map<string, UserKind>();
  /** Groups each SP defined for each user ("sp\0user"). */
  private readonly groups = new Map<string, string[]>();
  /** The content of every definition made ("sp\0user\0kind\0id" -> JSON). */
  private readonly contents = new Map<string, string>();

  constructor(
    readonly layout: CohortLayout,
    private readonly sps: readonly string[],
    private readonly rng: Rng,
  ) {
    if (!sps.length) throw new Error('a cohort needs at least one SP');
    for (const u of layout.users) this.kinds.set(u.name, u.kind);
    this.spares = [...layout.spares];
  }

  /** The first registrations, one per device in use: each a new user on a new device. */
  setup(): Action[] {
    return this.layout.initial.map(({ device, user }) => this.apply({ kind: 'new-user-new-device', device, user }));
  }

  /** Devices the user's identity is in now. */
  devicesOf(user: string): string[] {
    return [...this.holder].filter(([, u]) => u === user).map(([d]) => d);
  }

  holderOf(device: string): string | null | undefined {
    return this.holder.get(device);
  }

  /** The next action, applied to the plan's picture of who uses what. */
  next(): Action {
    const proposals = (Object.keys(WEIGHTS) as ActionKind[])
      .map((k) => ({ k, a: this.propose(k) }))
      .filter((p): p is { k: ActionKind; a: Action } => p.a !== undefined);
    const total = proposals.reduce((n, p) => n + WEIGHTS[p.k], 0);
    let r = this.rng.next() * total;
    for (const p of proposals) {
      r -= WEIGHTS[p.k];
      if (r < 0) return this.apply(p.a);
    }
    // rounding can leave r at 0 after the last one: it is the pick then
    const last = proposals.at(-1);
    if (!last) throw new Error(`cohort ${this.layout.cohort}: no action can be proposed`);
    return this.apply(last.a);
  }

  private usedDevices(): string[] {
    return [...this.holder.keys()];
  }

  /**
   * A definition never repeats the content the same id has: the target relays it again, and a
   * relay of what the device already holds changes nothing the cohort could wait for — it could
   * still be on its way when the user's SIM moves on, and arrive at a device the user left.
   */
  private fresh(a: Action): Action | undefined {
    if (a.kind !== 'define-group' && a.kind !== 'define-property-policy' && a.kind !== 'define-group-policy') return a;
    const key = definitionKey(a);
    const before = this.contents.get(key);
    if (before === undefined || before !== contentOf(a)) return a;
    if (a.kind === 'define-group') {
      const extra = PROPERTIES.find((p) => !a.properties.includes(p));
      return {
        ...a,
        properties:
          extra && a.properties.length < 3
            ? [...a.properties, extra]
            : a.properties.slice(1).length
              ? a.properties.slice(1)
              : [PROPERTIES.find((p) => p !== a.properties[0])!],
      };
    }
    const policy: ReportingPolicy = a.policy.Trigger === 'on-change' ? { Trigger: 'periodic', Period: 60 } : { Trigger: 'on-change' };
    return { ...a, policy };
  }

  private propose(kind: ActionKind): Action | undefined {
    const a = this.proposeAny(kind);
    return a && this.fresh(a);
  }

  private proposeAny(kind: ActionKind): Action | undefined {
    const rng = this.rng;
    const users = this.layout.users.filter((u) => !this.spares.some((s) => s.user === u.name)).map((u) => u.name);
    switch (kind) {
      case 'new-user-new-device': {
        const s = this.spares[0];
        return s && { kind, device: s.device, user: s.user };
      }
      case 'sim-move': {
        const sims = users.filter((u) => this.kinds.get(u) === 'sim');
        if (!sims.length) return undefined;
        const user = rng.pick(sims);
        const from = this.devicesOf(user)[0];
        const targets = this.usedDevices().filter((d) => d !== from);
        return targets.length ? { kind, user, device: rng.pick(targets), ...(from ? { from } : {}) } : undefined;
      }
      case 'multi-device': {
        const sips = users.filter((u) => this.kinds.get(u) === 'sip');
        if (!sips.length) return undefined;
        const user = rng.pick(sips);
        const others = this.usedDevices().filter((d) => this.holder.get(d) !== user);
        // a device nobody uses first; else another user's identity gives way on it
        const free = others.filter((d) => this.holder.get(d) === null);
        const pool = free.length ? free : others;
        return pool.length ? { kind, user, device: rng.pick(pool) } : undefined;
      }
      case 're-registration': {
        const held = this.usedDevices().filter((d) => this.holder.get(d));
        if (!held.length) return undefined;
        const device = rng.pick(held);
        return { kind, device, user: this.holder.get(device)! };
      }
      case 'define-group': {
        const sp = rng.pick(this.sps);
        const properties = [...new Set(Array.from({ length: 1 + rng.int(3) }, () => rng.pick(PROPERTIES)))];
        // ids of the SP's own: two SPs never define the same group for one user (sp.isolation)
        return { kind, sp, user: rng.pick(users), groupId: `${sp}-g${rng.int(3)}`, properties };
      }
      case 'define-property-policy': {
        const sp = rng.pick(this.sps);
        return {
          kind,
          sp,
          user: rng.pick(users),
          policyId: `${sp}-pp${rng.int(2)}`,
          property: rng.pick(PROPERTIES),
          policy: this.policy(),
        };
      }
      case 'define-group-policy': {
        const defined = [...this.groups].filter(([, gs]) => gs.length);
        if (!defined.length) return undefined;
        const [key, gs] = rng.pick(defined);
        const [sp, user] = key.split('\u0000') as [string, string];
        return { kind, sp, user, policyId: `${sp}-gp${rng.int(2)}`, groupId: rng.pick(gs), policy: this.policy() };
      }
      case 'query':
        return { kind, sp: rng.pick(this.sps), user: rng.pick(users) };
    }
  }

  private policy(): ReportingPolicy {
    return this.rng.next() < 0.5 ? { Trigger: 'on-change' } : { Trigger: 'periodic', Period: this.rng.pick([60, 300, 900]) };
  }

  /** What the action changes in who uses what. */
  private apply(a: Action): Action {
    switch (a.kind) {
      case 'new-user-new-device':
      case 'sim-move':
      case 'multi-device': {
        const displaced = this.holder.get(a.device) ?? undefined;
        if (a.kind === 'sim-move' && a.from) this.holder.set(a.from, null);
        if (a.kind === 'new-user-new-device') {
          const i = this.spares.findIndex((s) => s.device === a.device);
          if (i >= 0) this.spares.splice(i, 1);
        }
        this.holder.set(a.device, a.user);
        return displaced && displaced !== a.user ? { ...a, displaced } : a;
      }
      case 'define-group': {
        const key = `${a.sp}\u0000${a.user}`;
        const gs = this.groups.get(key) ?? [];
        if (!gs.includes(a.groupId)) this.groups.set(key, [...gs, a.groupId]);
        this.contents.set(definitionKey(a), contentOf(a));
        return a;
      }
      case 'define-property-policy':
      case 'define-group-policy':
        this.contents.set(definitionKey(a), contentOf(a));
        return a;
      default:
        return a;
    }
  }
}

type Definition = Extract<Action, { kind: 'define-group' | 'define-property-policy' | 'define-group-policy' }>;

function definitionKey(a: Definition): string {
  return [a.sp, a.user, a.kind, a.kind === 'define-group' ? a.groupId : a.policyId].join('\u0000');
}

/** What a definition says, as the device will hold it (a bag compares as a set). */
function contentOf(a: Definition): string {
  if (a.kind === 'define-group') return JSON.stringify([...a.properties].sort());
  if (a.kind === 'define-property-policy') return JSON.stringify([a.property, a.policy]);
  return JSON.stringify([a.groupId, a.policy]);
}
