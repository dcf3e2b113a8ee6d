/**
 * DPE-2, SP to server: DPE_Client_ID_Query (6.3.6.2) and the group and policy sets an SP defines
 * for a user (binding), with SP isolation: a group or policy another SP defined for the same user
 * cannot be overwritten (409 CONFLICT, docs/security.md).
 */
import type http from 'node:http';
import type { KeyIn, Message, MessageIn, Without } from '../catalog/protocol';
import { IE, MESSAGE_TYPE, unnumbered } from '../catalog/protocol';
import type { ServerContext } from './context';
import type { ClientMessage } from './procedures/device-change';
import { DpeError } from './errors';
import type { Json, Reply } from './seams';
import type { ServiceProvider } from './state';

export function authenticateSp(ctx: ServerContext, headers: http.IncomingHttpHeaders): ServiceProvider {
  const m = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  const sp = ctx.seams.authenticate(ctx.state, m?.[1]);
  // sp.unauthorized-rejected: no onboarded SP's bearer token
  if (!sp) throw new DpeError('UNAUTHORIZED', 'DPE-2 requests need "Authorization: Bearer <token>" of an onboarded SP');
  return sp;
}

export function onDpe2(ctx: ServerContext, sp: ServiceProvider, body: Json): Reply {
  ctx.seams.validate(body, 'sp-to-server', { state: ctx.state, validator: ctx.validator });
  // validated: one of the catalog's sp-to-server messages, told apart by its Message-Type
  const msg = body as MessageIn<'sp-to-server'>;
  return msg[MESSAGE_TYPE] === 'DPE_Client_ID_Query' ? onQuery(ctx, sp, msg) : onDefine(ctx, sp, msg);
}

function definedBy(ctx: ServerContext, user: string, spId: string): boolean {
  return [...(ctx.state.owners.get(user)?.values() ?? [])].includes(spId);
}

function onQuery(ctx: ServerContext, sp: ServiceProvider, query: Message<'DPE_Client_ID_Query'>): Reply {
  const user = query[IE.QueryKey];
  if (ctx.opts.security.spQueryScope === 'defined-users' && !definedBy(ctx, user, sp.spId)) {
    return ctx.seams.queryAnswer(query, []);
  }
  ctx.state.markConcerned(user, sp.spId);
  // a valid query from an onboarded SP is answered (query.answered)
  return ctx.seams.queryAnswer(query, ctx.seams.queryClientIds(ctx.state, user));
}

type Definition = Message<Without<KeyIn<'sp-to-server'>, 'DPE_Client_ID_Query'>>;
/** An id a definition claims for its SP: `group:<id>` or `policy:<id>`, and the IE that carries it. */
interface Claim {
  key: string;
  ie: typeof IE.GroupID | typeof IE.PolicyID;
  id: string;
}
const groupClaim = (id: string): Claim => ({ key: `group:${id}`, ie: IE.GroupID, id });
const policyClaim = (id: string): Claim => ({ key: `policy:${id}`, ie: IE.PolicyID, id });

/** Rejects a definition whose id another SP owns for this user; nothing has changed yet (sp.isolation.conflict-rejected, sp.isolation.keeps-other-sps-settings). */
function claim(ctx: ServerContext, sp: ServiceProvider, def: Definition, user: string, claims: Claim[]): void {
  for (const { key, ie, id } of claims) {
    const owner = ctx.seams.definitionOwner(ctx.state, user, key);
    if (owner !== undefined && owner !== sp.spId) {
      throw new DpeError(
        'CONFLICT',
        `${def[MESSAGE_TYPE]}: IE ${ie} ${JSON.stringify(id)} is already defined for this user by another SP ` +
          '(binding: an SP cannot change what another SP defined; docs/security.md)',
        ie,
      );
    }
  }
}

function onDefine(ctx: ServerContext, sp: ServiceProvider, def: Definition): Reply {
  const { state } = ctx;
  const user = def[IE.UserIdentity];
  let relay: ClientMessage;
  let apply: () => void;
  /** The defined item's own claim first (its owner is recorded), then the items it hangs on. */
  let claims: [Claim, ...Claim[]];
  switch (def[MESSAGE_TYPE]) {
    case 'DPE_Group_Set': {
      const g = { groupId: def[IE.GroupID], properties: [...def[IE.Properties]] };
      claims = [groupClaim(g.groupId)];
      apply = () => state.settingsOf(user).groups.set(g.groupId, g);
      relay = unnumbered('DPE_Group_Set', { [IE.GroupID]: g.groupId, [IE.Properties]: [...g.properties] });
      break;
    }
    case 'DPE_Property_Policy_Set': {
      const p = { policyId: def[IE.PolicyID], property: def[IE.Property], policy: def[IE.Policy] };
      claims = [policyClaim(p.policyId)];
      apply = () => state.settingsOf(user).propertyPolicies.set(p.policyId, p);
      relay = unnumbered('DPE_Property_Policy_Set', { [IE.PolicyID]: p.policyId, [IE.Property]: p.property, [IE.Policy]: { ...p.policy } });
      break;
    }
    case 'DPE_Group_Policy_Set': {
      const p = { policyId: def[IE.PolicyID], groupId: def[IE.GroupID], policy: def[IE.Policy] };
      // a policy may not be hung on another SP's group either
      claims = [policyClaim(p.policyId), groupClaim(p.groupId)];
      apply = () => state.settingsOf(user).groupPolicies.set(p.policyId, p);
      relay = unnumbered('DPE_Group_Policy_Set', { [IE.PolicyID]: p.policyId, [IE.GroupID]: p.groupId, [IE.Policy]: { ...p.policy } });
    }
  }
  claim(ctx, sp, def, user, claims);
  apply();
  state.setOwner(user, claims[0].key, sp.spId);
  state.markConcerned(user, sp.spId);
  for (const rec of ctx.seams.relayTargets(state, user)) {
    if (rec.clientId) ctx.sendToClient(rec.notifyUri, rec.clientId, [relay]);
  }
  return { status: 204 };
}
