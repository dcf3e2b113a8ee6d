/** Building blocks for variants: the Variant type and small wrappers around the seams of buildServer. */
import { randomBytes } from 'node:crypto';
import type { Message, MessageType, NotificationKey } from '../../catalog/protocol';
import { IE, isReleaseType, MESSAGE_TYPE } from '../../catalog/protocol';
import type { ClientIdPolicy, ErratumReading, Ics } from '../../config/ics';
import type { AssignmentInput, ClientIdAssigner } from '../client-id-policy';
import type { ServerOptions, ServerSeams } from '../app';
import type { DeviceChangeStep } from '../procedures/device-change';
import type { Identities } from '../identity';
import type { Delivery } from '../outbox';
import type { RegistrationOutcome } from '../procedures/registration';
import type { PendingReport, ReportBody, ReportPlanner } from '../procedures/client-id-change';
import type { ServerState } from '../state';

/** ICS answers a variant declares where they differ from the reference server's (referenceIcs). */
export type IcsOverrides = Partial<Omit<Ics, 'implementation' | 'errata'>> & { errata?: Record<string, ErratumReading> };

export interface Variant {
  name: string;
  kind: 'mutant' | 'legal';
  /** Requirement ids a mutant breaks (src/requirements/catalog.ts); empty for a legal variant. */
  breaks: string[];
  description: string;
  /** Client ID policies to run under; default: from the broken requirements' applicability (mutants), all three (legal). */
  policies?: ClientIdPolicy[];
  /** What the variant declares in its ICS beyond the reference server's answers. */
  ics?: IcsOverrides;
  /** Called once per server built: closures hold the variant's own state. */
  seams?: (d: ServerSeams, o: ServerOptions) => Partial<ServerSeams>;
  options?: Partial<ServerOptions>;
}

// ---------------------------------------------------------------------------------- helpers

export const REPORT = 'DPE_Client_ID_Report' satisfies MessageType;

/** A delivery of a report, or of a message to a client, as the server built it (typed; a mutant's malformed body reaches neither). */
export type ReportDelivery = Delivery & { body: Message<typeof REPORT> };
export type ClientDelivery = Delivery & { body: Message<NotificationKey> };

type SeamFn<K extends keyof ServerSeams> = Extract<ServerSeams[K], (...args: never[]) => unknown>;
type FnSeam = { [K in keyof ServerSeams]: ServerSeams[K] extends (...args: never[]) => unknown ? K : never }[keyof ServerSeams];

/**
 * Rewrites what one seam returns; `f` also gets the seam's arguments. The seam given is taken
 * when the server is built, so variants of one profile each build on the one before
 * (scripts/mutation-profiles.ts sees it as a rewrite).
 */
export const mapSeam =
  <K extends FnSeam>(seam: K, f: (out: ReturnType<SeamFn<K>>, ...args: Parameters<SeamFn<K>>) => ReturnType<SeamFn<K>>) =>
  (d: ServerSeams): Partial<ServerSeams> => {
    const given = d[seam] as unknown as (...a: Parameters<SeamFn<K>>) => ReturnType<SeamFn<K>>;
    return { [seam]: (...args: Parameters<SeamFn<K>>) => f(given(...args), ...args) };
  };

/** Replaces the Client ID assigner of one policy; `f` may call the one it replaces. */
export const wrapAssigner =
  (policy: ClientIdPolicy, f: (a: AssignmentInput, replaced: ClientIdAssigner) => string) => (d: ServerSeams) => ({
    assigners: { ...d.assigners, [policy]: (a: AssignmentInput) => f(a, d.assigners[policy]) },
  });

export const steps =
  (...list: DeviceChangeStep[]) =>
  () => ({ deviceChangeSteps: list });
export const withoutStep = (name: string) => (d: ServerSeams) => ({
  deviceChangeSteps: d.deviceChangeSteps.filter((s) => s.name !== name),
});
export const replaceStep = (name: string, by: DeviceChangeStep) => (d: ServerSeams) => ({
  deviceChangeSteps: d.deviceChangeSteps.map((s) => (s.name === name ? by : s)),
});

/** Rewrites each planned report (null drops it). */
export const mapReports = (f: (r: PendingReport, before: Parameters<ReportPlanner>[1]) => PendingReport | null) => (d: ServerSeams) => ({
  planReports: ((state, before, after, opts) =>
    d.planReports(state, before, after, opts).flatMap((r) => f(r, before) ?? [])) as ReportPlanner,
});
export const reportUser = (b: ReportBody): string | undefined => b[IE.UserIdentity]?.[0];

/** Rewrites each outbound message before it is queued (on the deliver seam given when the server is built). */
export const mapOutbound = (f: (d: Delivery) => Delivery) => (d: ServerSeams) => {
  const deliver = d.deliver;
  return { deliver: (x: Delivery, send: (x: Delivery) => void) => deliver(f(x), send) };
};
export const isReport = (x: Delivery): x is ReportDelivery => x.body[MESSAGE_TYPE] === REPORT;
/** Any delivery but a report goes to a client's Notify-URI. */
export const isToClient = (x: Delivery): x is ClientDelivery => !isReport(x);
export const isRelease = (x: Delivery): x is ClientDelivery => isReleaseType(x.body[MESSAGE_TYPE]);

/** What the registration transition saw of a device and a user before it ran. */
export interface Before {
  deviceUser: string | null | undefined;
  userDevices: string[];
  userIds: string[];
}
export const seenBefore = (state: ServerState, ids: Identities): Before => ({
  deviceUser: state.device(ids.device)?.user,
  userDevices: ids.user ? state.devicesOf(ids.user) : [],
  userIds: ids.user ? state.clientIdsOf(ids.user) : [],
});

/** Wraps the registration transition: `after` may change the outcome or the state. */
export const wrapRegister =
  (after: (out: RegistrationOutcome, state: ServerState, ids: Identities, was: Before) => RegistrationOutcome) => (d: ServerSeams) => ({
    register: ((state, ids, notifyUri, assign, newId) => {
      const was = seenBefore(state, ids);
      return after(d.register(state, ids, notifyUri, assign, newId), state, ids, was);
    }) as ServerSeams['register'],
  });

/** Drops `device` from `user`'s devices the way a SIM move does (clears a non-permanent Client ID). */
export { detach } from '../procedures/registration';

export const forwardedFor = (h: Readonly<Record<string, string | string[] | undefined>>): string | undefined => {
  const v = h['x-forwarded-for'];
  const s = (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
  return s || undefined;
};

/** Adds unknown IEs to a JSON answer body (a receiver ignores IEs it does not know). */
export const withExtraIes = <T>(body: T): T =>
  body && typeof body === 'object' && !Array.isArray(body)
    ? { ...body, 'X-Vendor-Trace': randomBytes(4).toString('hex'), 'Vendor-Extension': { version: 2, flags: [] } }
    : body;

// ---------------------------------------------------------------------------------- mutants

/** E53 lenient: a report's Client-ID names the new Client ID(s) only (kept in one place: mutant and legal variant). */
export function newIdOnly(d: ServerSeams): Partial<ServerSeams> {
  return mapReports((r, before) => {
    const u = reportUser(r.body);
    const ids = r.body[IE.ClientID];
    if (!u || !ids) return r;
    const added = ids.filter((id) => !(before.users.get(u) ?? []).includes(id));
    return added.length ? { ...r, body: { ...r.body, [IE.ClientID]: added } } : r;
  })(d);
}

/**
 * Runs the device-change procedure on a registration that changed nothing, keeping only the
 * messages `keep` accepts (releases or sets): the messages of one procedure are queued in one
 * synchronous batch, so the filter ends at the first kept or dropped message's next microtask.
 */
export function procedureOnUnchanged(keep: (isRelease: boolean) => boolean) {
  return (d: ServerSeams): Partial<ServerSeams> => {
    let url: string | undefined;
    return {
      register: (state, ids, notifyUri, assign, newId) => {
        const out = d.register(state, ids, notifyUri, assign, newId);
        if (out.deviceChange) return out;
        url = notifyUri;
        return { ...out, deviceChange: true };
      },
      deliver: (x, send) => {
        if (url !== x.url) return d.deliver(x, send);
        const kept = keep(isRelease(x));
        if (!kept || !isRelease(x)) queueMicrotask(() => (url = undefined));
        if (kept) d.deliver(x, send);
      },
    };
  };
}

// ------------------------------------------------------------------------------- legal variants

/**
 * Delays each message by a random share of the delivery deadline, counted from when the server
 * sends it, while keeping the order per destination (a later message never overtakes).
 */
export function delayedDelivery(d: ServerSeams, o: ServerOptions, share: number): Partial<ServerSeams> {
  const deadline = o.delivery?.attemptTimeoutMs ?? 1500;
  const chains = new Map<string, Promise<void>>();
  const until = (at: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, at - Date.now())).unref());
  return {
    deliver: (x, send) => {
      const at = Date.now() + Math.floor(Math.random() * share * deadline);
      // chained per destination: timers alone do not keep the order of equal expiries
      const next = (chains.get(x.url) ?? Promise.resolve()).then(() => until(at)).then(() => d.deliver(x, send));
      chains.set(x.url, next);
      void next.then(() => chains.get(x.url) === next && chains.delete(x.url));
    },
  };
}
