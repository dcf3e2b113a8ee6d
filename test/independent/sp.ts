// DPE-2 (binding): bearer-token authentication, DPE_Client_ID_Query (6.3.6.2) and the sets an
// SP defines for a user, which become the user's defined settings and are relayed to the
// user's current client(s). Also the optional provisioning hooks of the binding.
import type { Ctx } from './context';
import { DpeError } from './errors';
import { emptyPlan, type Outbound, type Plan, type SpConfig } from './types';
import type { Dpe2Message } from './validate';

export interface Answer { status: number; body?: unknown; plan: Plan }

/** binding, Authentication: `Authorization: Bearer <token of an onboarded SP>` (RFC 6750). */
export function authenticate(ctx: Ctx, authorization: string | undefined): string {
  const value = authorization ?? '';
  let token = /^Bearer +([\x21-\x7e]+) *$/i.exec(value)?.[1];
  if (ctx.flags.faulty('lax-bearer-scheme')) token = ctx.store.knownTokens().find((t) => value.trim().endsWith(t));
  const spId = token !== undefined ? ctx.store.tokenOwner(token) : undefined;
  if (spId === undefined) throw new DpeError('UNAUTHORIZED', 'a bearer token of an onboarded Service Provider is required');
  return spId;
}

export function handleDpe2(ctx: Ctx, msg: Dpe2Message, spId: string): Answer {
  const { store, messages, flags } = ctx;
  if (msg.type === 'DPE_Client_ID_Query') {
    const user = store.user(msg.queryKey);
    if (!flags.faulty('query-not-concerning')) store.concern(user, spId);
    let ids = store.idsOf(msg.queryKey);
    if (flags.faulty('query-lists-stale-id')) ids = [...ids, ...user.formerIds.filter((id) => !ids.includes(id))];
    if (flags.faulty('query-latest-id-only')) ids = ids.slice(-1);
    return { status: 200, body: messages.queryResponse(msg.messageId, ids), plan: emptyPlan() };
  }
  const user = store.user(msg.user);
  store.concern(user, spId);
  return { status: 204, plan: relay(ctx, msg.user, defineSetting(ctx, msg)) };
}

type Build = () => Record<string, unknown>;

/** Stores the definition (same id: replaced); returns how to build the DPE-1 set carrying it. */
function defineSetting(ctx: Ctx, msg: Exclude<Dpe2Message, { type: 'DPE_Client_ID_Query' }>): Build {
  const user = ctx.store.user(msg.user);
  switch (msg.type) {
    case 'DPE_Group_Set': {
      const def = { groupId: msg.groupId, properties: [...msg.properties] };
      user.groups.set(def.groupId, def);
      return () => ctx.messages.groupSet(def);
    }
    case 'DPE_Property_Policy_Set': {
      const def = { policyId: msg.policyId, property: msg.property, policy: msg.policy };
      user.propertyPolicies.set(def.policyId, def);
      return () => ctx.messages.propertyPolicySet(def);
    }
    case 'DPE_Group_Policy_Set': {
      const def = { policyId: msg.policyId, groupId: msg.groupId, policy: msg.policy };
      user.groupPolicies.set(def.policyId, def);
      return () => ctx.messages.groupPolicySet(def);
    }
  }
}

/** binding, Relays: what an SP defines reaches the user's current client(s) only. */
export function relay(ctx: Ctx, userId: string, build: Build): Plan {
  const user = ctx.store.users.get(userId);
  const plan = emptyPlan();
  if (!user) return plan;
  const keys = ctx.flags.faulty('relay-to-former-device') ? [...user.everDevices] : user.devices;
  // Freedom shared-relay-message-id: one message (one Message-ID) fanned out to every device.
  const shared = ctx.flags.free('shared-relay-message-id') ? build() : undefined;
  for (const key of keys) {
    const d = ctx.store.devices.get(key);
    if (d && (d.clientId !== null || ctx.flags.faulty('relay-to-former-device'))) {
      // Each device gets its own message (own Message-ID), labelled with its Client ID.
      const out: Outbound = { to: 'client', notifyUri: d.notifyUri, clientId: d.clientId ?? 'none', body: shared ?? build() };
      plan.now.push(out);
    }
  }
  return plan;
}

/** Fault rejected-set-relayed only: the set of a refused message still goes out. */
export function relayRefused(ctx: Ctx, msg: Dpe2Message): Plan {
  if (msg.type === 'DPE_Client_ID_Query') return emptyPlan();
  const m = ctx.messages;
  const build: Build = msg.type === 'DPE_Group_Set'
    ? () => m.groupSet({ groupId: msg.groupId, properties: msg.properties })
    : msg.type === 'DPE_Property_Policy_Set'
      ? () => m.propertyPolicySet({ policyId: msg.policyId, property: msg.property, policy: msg.policy })
      : () => m.groupPolicySet({ policyId: msg.policyId, groupId: msg.groupId, policy: msg.policy });
  return relay(ctx, msg.user, build);
}

export function onboard(ctx: Ctx, sp: SpConfig): Answer {
  const holder = ctx.store.tokenOwner(sp.token);
  if (holder !== undefined && holder !== sp.spId) throw new DpeError('INVALID_IE', 'Token already belongs to another SP', 'Token');
  ctx.store.onboard(sp);
  const body = ctx.flags.free('empty-hook-answers') ? undefined : { 'SP-ID': sp.spId, 'Notify-URI': sp.notifyUri };
  return { status: 201, body, plan: emptyPlan() };
}

/** 6.1 server-driven registration: the client is made to send a new request (E07). */
export function trigger(ctx: Ctx, clientId: string): Answer {
  const dev = ctx.store.deviceHolding(clientId);
  if (!dev) throw new DpeError('INVALID_IE', 'no device holds this Client ID', 'Client-ID', 404);
  dev.triggered = true;
  const plan = emptyPlan();
  plan.now.push({ to: 'client', notifyUri: dev.notifyUri, clientId, body: ctx.messages.trigger() });
  return { status: 202, body: ctx.flags.free('empty-hook-answers') ? undefined : { 'Client-ID': clientId }, plan };
}
