/**
 * DPE-2, SP to server: DPE_Client_ID_Query (6.3.6.2) and the group and policy sets an SP defines
 * for a user (binding), with SP isolation: a group or policy another SP defined for the same user
 * cannot be overwritten (409 CONFLICT, docs/security.md).
 */
import type http from 'node:http';
import type { ServerContext } from './context';
import type { ClientMessage } from './procedures/device-change';
import { DpeError } from './errors';
import type { Json, Reply } from './seams';
import type { Policy } from './settings';
import type { ServiceProvider } from './state';

export function authenticateSp(ctx: ServerContext, headers: http.IncomingHttpHeaders): ServiceProvider {
  const m = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  const sp = ctx.seams.authenticate(ctx.state, m?.[1]);
  if (!sp) throw new DpeError('UNAUTHORIZED', 'DPE-2 requests need "Authorization: Bearer <token>" of an onboarded SP');
  return sp;
}

export function onDpe2(ctx: ServerContext, sp: ServiceProvider, body: Json): Reply {
  const def = ctx.seams.validate(body, 'sp-to-server', { state: ctx.state, validator: ctx.validator });
  return def.type === 'DPE_Client_ID_Query' ? onQuery(ctx, sp, body) : onDefine(ctx, sp, body);
}

function definedBy(ctx: ServerContext, user: string, spId: string): boolean {
  return [...(ctx.state.owners.get(user)?.values() ?? [])].includes(spId);
}

function onQuery(ctx: ServerContext, sp: ServiceProvider, body: Json): Reply {
  const user = body['Query-Key'] as string;
  if (ctx.opts.security.spQueryScope === 'defined-users' && !definedBy(ctx, user, sp.spId)) {
    return ctx.seams.queryAnswer(body, []);
  }
  ctx.state.markConcerned(user, sp.spId);
  return ctx.seams.queryAnswer(body, ctx.seams.queryClientIds(ctx.state, user));
}

/** Rejects a definition whose id another SP owns for this user; nothing has changed yet (sp.isolation.conflict-rejected, sp.isolation.keeps-other-sps-settings). */
function claim(ctx: ServerContext, sp: ServiceProvider, body: Json, user: string, claims: Array<[key: string, ie: string]>): void {
  for (const [key, ie] of claims) {
    const owner = ctx.seams.definitionOwner(ctx.state, user, key);
    if (owner !== undefined && owner !== sp.spId) {
      throw new DpeError(
        'CONFLICT',
        `${String(body['Message-Type'])}: IE ${ie} ${JSON.stringify(body[ie])} is already defined for this user by another SP ` +
          '(binding: an SP cannot change what another SP defined; docs/security.md)',
        ie,
      );
    }
  }
}

function onDefine(ctx: ServerContext, sp: ServiceProvider, body: Json): Reply {
  const { state } = ctx;
  const user = body['User-Identity'] as string;
  let relay: ClientMessage;
  let apply: () => void;
  let claims: Array<[string, string]>;
  switch (body['Message-Type']) {
    case 'DPE_Group_Set': {
      const g = { groupId: body['Group-ID'] as string, properties: [...(body['Properties'] as string[])] };
      claims = [[`group:${g.groupId}`, 'Group-ID']];
      apply = () => state.settingsOf(user).groups.set(g.groupId, g);
      relay = { 'Message-Type': 'DPE_Group_Set', 'Group-ID': g.groupId, Properties: [...g.properties] };
      break;
    }
    case 'DPE_Property_Policy_Set': {
      const p = { policyId: body['Policy-ID'] as string, property: body['Property'] as string, policy: body['Policy'] as Policy };
      claims = [[`policy:${p.policyId}`, 'Policy-ID']];
      apply = () => state.settingsOf(user).propertyPolicies.set(p.policyId, p);
      relay = { 'Message-Type': 'DPE_Property_Policy_Set', 'Policy-ID': p.policyId, Property: p.property, Policy: { ...p.policy } };
      break;
    }
    default: {
      const p = { policyId: body['Policy-ID'] as string, groupId: body['Group-ID'] as string, policy: body['Policy'] as Policy };
      // a policy may not be hung on another SP's group either
      claims = [[`policy:${p.policyId}`, 'Policy-ID'], [`group:${p.groupId}`, 'Group-ID']];
      apply = () => state.settingsOf(user).groupPolicies.set(p.policyId, p);
      relay = { 'Message-Type': 'DPE_Group_Policy_Set', 'Policy-ID': p.policyId, 'Group-ID': p.groupId, Policy: { ...p.policy } };
    }
  }
  claim(ctx, sp, body, user, claims);
  apply();
  state.setOwner(user, claims[0][0], sp.spId);
  state.markConcerned(user, sp.spId);
  for (const rec of ctx.seams.relayTargets(state, user)) {
    if (rec.clientId) ctx.sendToClient(rec.notifyUri, rec.clientId, [relay]);
  }
  return { status: 204 };
}
