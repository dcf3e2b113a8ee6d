/**
 * The optional test hooks of the binding (upper tester): SP onboarding and server-driven
 * registration. Behind the admin token when one is configured (always in the standalone server).
 */
import type http from 'node:http';
import { unnumbered } from '../catalog/protocol';
import type { Onboarding } from '../catalog/test-hooks';
import { HOOK_IE, ONBOARDING_IES } from '../catalog/test-hooks';
import type { ServerContext } from './context';
import { checkNotifyUri } from './dpe1';
import { DpeError } from './errors';
import type { Json, Reply } from './seams';
import { bearerToken, sameSecret } from './security';

export function requireAdmin(ctx: ServerContext, headers: http.IncomingHttpHeaders, path: string): void {
  const admin = ctx.opts.adminToken;
  if (admin === undefined) return;
  const token = bearerToken(headers.authorization);
  if (token === undefined || !sameSecret(token, admin)) {
    throw new DpeError('UNAUTHORIZED', `${path} is a test hook: it needs "Authorization: Bearer <admin token>" (docs/security.md)`);
  }
}

const ONBOARDING = 'service provider onboarding (binding: test hooks)';

export function onOnboard(ctx: ServerContext, body: Json): Reply {
  for (const ie of ONBOARDING_IES) {
    if (body[ie] === undefined) throw new DpeError('MISSING_IE', `${ONBOARDING}: IE ${ie} is missing`, ie);
    if (typeof body[ie] !== 'string' || !body[ie]) {
      throw new DpeError('INVALID_IE', `${ONBOARDING}: IE ${ie} must be a non-empty string`, ie);
    }
  }
  const { CurrentToken, Token } = HOOK_IE;
  if (body[CurrentToken] !== undefined && typeof body[CurrentToken] !== 'string') {
    throw new DpeError('INVALID_IE', `${ONBOARDING}: IE ${CurrentToken} must be a string`, CurrentToken);
  }
  const onboarding = body as Onboarding; // checked above
  const sp = { spId: onboarding[HOOK_IE.SPID], token: onboarding[Token], notifyUri: onboarding[HOOK_IE.NotifyURI] };
  const min = ctx.opts.security.minTokenLength;
  if (sp.token.length < min) throw new DpeError('INVALID_IE', `${ONBOARDING}: IE Token is shorter than ${min} characters`, Token);
  checkNotifyUri(ctx, sp.notifyUri, ONBOARDING);
  const existing = ctx.state.serviceProviders.get(sp.spId);
  if (existing) {
    // re-onboarding (e.g. a new Notify-URI or a new token) needs the SP's current token
    const proofIe = onboarding[CurrentToken] !== undefined ? CurrentToken : Token;
    if (!sameSecret(onboarding[proofIe]!, existing.token)) {
      throw new DpeError(
        'FORBIDDEN',
        `${ONBOARDING}: SP-ID ${sp.spId} is onboarded already; re-onboarding it needs its current token in IE ${proofIe}`,
        proofIe,
      );
    }
  }
  const holder = ctx.state.spByToken(sp.token);
  if (holder && holder.spId !== sp.spId) {
    throw new DpeError('INVALID_IE', `${ONBOARDING}: IE Token is already used by another SP`, Token);
  }
  ctx.state.serviceProviders.set(sp.spId, sp);
  return { status: existing ? 200 : 201 };
}

export function onTrigger(ctx: ServerContext, body: Json): Reply {
  const ie = HOOK_IE.ClientID;
  const clientId = body[ie];
  if (typeof clientId !== 'string' || !clientId) {
    throw new DpeError(
      clientId === undefined ? 'MISSING_IE' : 'INVALID_IE',
      'registration trigger: IE Client-ID must be a non-empty string (clause 6.1)',
      ie,
    );
  }
  const rec = ctx.state.deviceByClientId(clientId);
  if (!rec) throw new DpeError('NOT_FOUND', `registration trigger: no client holds Client ID ${clientId}`, ie);
  // the server makes the client send a fresh request (reg.server-driven)
  ctx.sendToClient(rec.notifyUri, clientId, [unnumbered('DPE_Registration_Trigger', {})]);
  return { status: 202 };
}
