// DPE-1 registration (8.1.1) with the device-change procedure of 8.2.2 and the Client ID
// reports of 8.2.3. One guarded transition per registration: identities are resolved and
// validated first (no state touched), then the association is updated, then the messages
// it causes are planned.
import type { IncomingHttpHeaders } from 'node:http';
import type { Ctx } from './context';
import { DpeError } from './errors';
import { nullUserReports, userReports, type UserChange } from './reports';
import type { DeviceRec, UserRec } from './store';
import { emptyPlan, type Outbound, type Plan } from './types';
import type { RegistrationRequest } from './validate';

export interface Identities { user?: string; device?: string }

const header = (v: string | string[] | undefined): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return s !== undefined && s.trim().length > 0 ? s.trim() : undefined;
};

/**
 * 8.1.1 / binding: an identity absent from the request may come from the network headers
 * (E19: the IE wins). Neither determinable: rejected, nothing changes. Pure.
 */
export function resolveIdentities(ctx: Ctx, req: RegistrationRequest, headers: IncomingHttpHeaders, remoteIp: string): Identities {
  const { flags } = ctx;
  const useHeaders = !flags.free('no-network-identity-headers');
  const hUser = useHeaders ? header(headers['x-dpe-user-identity']) : undefined;
  const hDevice = useHeaders ? header(headers['x-dpe-device-identity']) : undefined;
  const headerFirst = flags.faulty('header-over-ie');
  const user = headerFirst ? hUser ?? req.user : req.user ?? hUser;
  let device = headerFirst ? hDevice ?? req.device : req.device ?? hDevice;
  if (device !== undefined && flags.faulty('ip-as-device-identity')) {
    device = `${device}@${header(headers['x-forwarded-for'])?.split(',')[0].trim() ?? remoteIp}`;
  }
  if (user === undefined && device === undefined) {
    if (flags.faulty('missing-identity-accepted')) return { device: `\u0000uri:${req.notifyUri}` };
    if (flags.faulty('missing-identity-as-missing-ie')) throw new DpeError('MISSING_IE', 'User-Identity is mandatory', 'User-Identity');
    throw new DpeError('MISSING_IDENTITY', 'neither user nor device identity can be determined');
  }
  if ((user === undefined || device === undefined) && flags.free('reject-single-identity')) {
    throw new DpeError('MISSING_IDENTITY', `no ${user === undefined ? 'user' : 'device'} identity can be determined`);
  }
  return { user, device };
}

/** Binding: a sip: (or sips:) user may be on several devices; a tel: MSISDN is on one SIM. */
const isMultiDevice = (user: string): boolean => /^sips?:/i.test(user);

/** E17: a missing device identity is never a changed one: the user's current device is meant. */
function deviceKey(ctx: Ctx, user: string, clientIdIe: string | undefined): string {
  const holder = clientIdIe !== undefined ? ctx.store.deviceHolding(clientIdIe) : undefined;
  if (holder && holder.user === user) return holder.key;
  const devices = ctx.store.users.get(user)?.devices ?? [];
  return devices.length > 0 ? devices[devices.length - 1] : `\u0000user:${user}`;
}

export interface Registered { clientId: string; plan: Plan }

export function register(ctx: Ctx, req: RegistrationRequest, ids: Identities): Registered {
  const { store, flags, messages } = ctx;
  const devKey = ids.device ?? deviceKey(ctx, ids.user as string, req.clientId);
  const existing = store.devices.get(devKey);
  const userId = ids.user ?? existing?.user ?? null;
  const prevUser = existing?.user ?? null;
  const userRec = userId !== null ? store.users.get(userId) : undefined;
  const oldId = existing?.clientId ?? null;

  // 8.2.2 / E21: a device change is a registration whose pair is not currently associated.
  const unchanged = existing !== undefined && prevUser === userId && oldId !== null
    && (userId === null || (userRec?.devices.includes(devKey) ?? false));
  const firstEver = existing === undefined && !(userRec?.registered ?? false);
  let deviceChange = !unchanged;
  if (flags.faulty('sim-return-not-device-change') && existing && userId !== null && existing.everUsers.has(userId)) deviceChange = false;
  if (flags.faulty('triggered-reregistration-releases') && existing?.triggered) deviceChange = true;
  if (flags.faulty('user-change-on-device-not-device-change') && existing && prevUser !== null && userId !== null && prevUser !== userId) deviceChange = false;
  const wasTriggered = existing?.triggered ?? false;

  const affected = [userId, prevUser].filter((u, i, a): u is string => u !== null && a.indexOf(u) === i);
  const before = new Map(affected.map((u) => [u, store.idsOf(u)] as const));
  const first = new Map(affected.map((u) => [u, store.idsOf(u).length === 0 && (store.users.get(u)?.formerIds.length ?? 0) === 0] as const));

  // --- the association changes (8.1.1 retain; binding: tel: moves, sip: adds) ---
  const dev = store.device(devKey, req.notifyUri);
  dev.notifyUri = req.notifyUri;
  dev.triggered = false;
  if (prevUser !== null && prevUser !== userId) {
    const p = store.user(prevUser);
    p.devices = p.devices.filter((k) => k !== devKey);
  }
  const left: Array<{ notifyUri: string; clientId: string }> = [];
  const orphans: Array<{ clientId: string; formerUser: string }> = [];
  if (userId !== null) {
    const u = store.user(userId);
    if (!isMultiDevice(userId) || flags.faulty('multi-device-moves')) {
      for (const k of u.devices.filter((d) => d !== devKey)) detach(ctx, store.devices.get(k) as DeviceRec, userId, left, orphans);
      u.devices = u.devices.filter((d) => d === devKey);
    }
    if (!u.devices.includes(devKey)) u.devices.push(devKey);
    u.registered = true;
    u.everDevices.add(devKey);
    dev.everUsers.add(userId);
  }
  dev.user = userId;
  let clientId = chooseClientId(ctx, dev, oldId, unchanged, prevUser, userId);
  if (ctx.policy === 'per-user-and-device' && unchanged && wasTriggered && flags.faulty('triggered-registration-new-id')) clientId = store.newClientId();
  const sim = left[0];
  if (ctx.policy === 'per-user-and-device' && !unchanged && sim !== undefined && flags.faulty('id-follows-sim')) clientId = sim.clientId;
  store.assign(dev, clientId);
  for (const u of affected) {
    const rec = store.user(u);
    for (const id of before.get(u) ?? []) if (!store.idsOf(u).includes(id) && !rec.formerIds.includes(id)) rec.formerIds.push(id);
  }

  // --- messages to the device (8.2.2) ---
  const plan = emptyPlan();
  const label = flags.faulty('old-client-id-header') && oldId !== null ? oldId : clientId;
  const toDev = (body: Record<string, unknown>): Outbound => ({ to: 'client', notifyUri: dev.notifyUri, clientId: label, body });
  const current = userId !== null ? store.users.get(userId) : undefined;
  const quiet = firstEver && flags.free('first-registration-quiet');
  if (deviceChange && quiet) {
    plan.now.push(...messages.restoreSets(current).map(toDev)); // E24 lenient: establish, no reset
  } else if (deviceChange) {
    plan.now.push(...deviceChangeMessages(ctx, current).map(toDev));
    if (flags.faulty('late-wildcard-release')) plan.later.push(toDev(messages.groupRelease()));
    if (flags.faulty('late-extra-set')) plan.later.push(toDev(messages.groupSet({ groupId: 'srv-diagnostics', properties: ['BatteryLevel'] })));
    if (flags.faulty('restore-to-former-device')) {
      for (const l of left) plan.now.push(...messages.restoreSets(current).map((body) => ({ to: 'client' as const, ...l, body })));
    }
  } else if (flags.faulty('unchanged-releases-without-sets') && !wasTriggered) {
    plan.now.push(toDev(messages.groupRelease()), toDev(messages.policyRelease()));
  } else if (flags.free('revalidate-resend-sets')) {
    plan.now.push(...messages.restoreSets(current).map(toDev)); // E13: revalidation, no releases
  }
  if (flags.free('release-left-device')) {
    for (const l of left) plan.now.push(...[messages.groupRelease(), messages.policyRelease()].map((body) => ({ to: 'client' as const, ...l, body })));
  }

  // --- reports to concerned SPs (8.2.3) ---
  const changes: UserChange[] = affected.map((u) => ({
    user: u, before: before.get(u) ?? [], after: store.idsOf(u), first: first.get(u) ?? false,
    newId: u === userId ? clientId : undefined,
  }));
  const batches = changes.map((c) => userReports(ctx, c));
  const userR = batches.flatMap((b) => b.now);
  const nullR = policyKeepsOrphans(ctx) ? nullUserReports(ctx, orphans) : [];
  plan.now.push(...(flags.free('null-user-report-first') ? [...nullR, ...userR] : [...userR, ...nullR]));
  plan.later.push(...batches.flatMap((b) => b.later));
  return { clientId, plan };
}

const policyKeepsOrphans = (ctx: Ctx): boolean => ctx.policy === 'per-device';

/** A device the (tel:) user left: it keeps its ID only under per-device, without a user. */
function detach(ctx: Ctx, d: DeviceRec, user: string, left: Array<{ notifyUri: string; clientId: string }>,
  orphans: Array<{ clientId: string; formerUser: string }>): void {
  d.user = null;
  if (d.clientId === null) return;
  left.push({ notifyUri: d.notifyUri, clientId: d.clientId });
  if (policyKeepsOrphans(ctx)) {
    ctx.store.orphaned(d.clientId);
    orphans.push({ clientId: d.clientId, formerUser: user });
  } else {
    ctx.store.retire(d.clientId); // its pair no longer exists: the ID is valid for nobody
  }
}

/** 6.1 policies, E27: when a new Client ID is "necessary". */
function chooseClientId(ctx: Ctx, dev: DeviceRec, oldId: string | null, unchanged: boolean,
  prevUser: string | null, userId: string | null): string {
  const { store, flags } = ctx;
  const userChanged = prevUser !== null && prevUser !== userId;
  switch (ctx.policy) {
    case 'per-registration':
      if (unchanged && oldId !== null && flags.faulty('per-registration-keeps-unchanged')) return oldId;
      return store.newClientId();
    case 'per-user-and-device': {
      if (unchanged && oldId !== null) return oldId;
      if (oldId !== null && userChanged && flags.faulty('keep-id-on-user-change')) return oldId;
      const earlier = userId !== null && flags.free('restore-earlier-pair-id') ? store.earlierPairId(userId, dev.key) : undefined;
      return earlier ?? store.newClientId();
    }
    case 'per-device':
      if (oldId !== null && !(userChanged && flags.faulty('per-device-new-id-for-new-user'))) return oldId;
      return store.newClientId();
  }
}

/** 8.2.2 bullets 2-6: both "*" releases, then the sets (E30: releases first). */
function deviceChangeMessages(ctx: Ctx, user: UserRec | undefined): Array<Record<string, unknown>> {
  const { flags, messages } = ctx;
  const defined = user ? user.groups.size + user.propertyPolicies.size + user.groupPolicies.size : 0;
  let releases: Array<Record<string, unknown>>;
  if (flags.faulty('no-releases-when-nothing-defined') && defined === 0) releases = [];
  else if (flags.faulty('release-lists-groups')) {
    releases = [...(user?.groups.keys() ?? [])].map((g) => messages.groupRelease(g));
    releases.push(messages.policyRelease());
  } else if (flags.faulty('release-lists-policies')) {
    releases = [messages.groupRelease()];
    for (const p of [...(user?.propertyPolicies.keys() ?? []), ...(user?.groupPolicies.keys() ?? [])]) releases.push(messages.policyRelease(p));
  } else {
    releases = [messages.groupRelease(), messages.policyRelease()];
    if (flags.free('policy-release-first')) releases.reverse();
  }
  const sets = [...messages.restoreSets(user), ...messages.serverChosenSets()];
  return flags.faulty('sets-before-releases') ? [...sets, ...releases] : [...releases, ...sets];
}
