/** DPE-1, client to server: DPE_Registration_Request (8.1.1; 8.2.2 device change; procedures/). */
import type http from 'node:http';
import type { Message } from '../catalog/protocol';
import { IE } from '../catalog/protocol';
import type { ServerContext } from './context';
import { startDeviceChange } from './procedures/device-change';
import { DpeError } from './errors';
import { placeDevice } from './identity';
import type { Json, Reply } from './seams';
import { httpUrlHost } from './security';

/** Every request a client sends, of its own accord or after a trigger, is processed in full (reg.client-driven, reg.server-driven). */
export function onRegistration(ctx: ServerContext, body: Json, headers: http.IncomingHttpHeaders): Reply {
  const { seams, state, opts } = ctx;
  seams.validate(body, 'client-to-server', { state, validator: ctx.validator });
  // validated: the only client-to-server message of the catalog
  const request = body as Message<'DPE_Registration_Request'>;
  const named = seams.identity(request, headers, { networkIdentityHeaders: opts.networkIdentityHeaders });
  const notifyUri = request[IE.NotifyURI];
  checkNotifyUri(ctx, notifyUri, 'DPE_Registration_Request');
  // all that may reject the request is above: a rejected registration changes nothing (binding.rejected-no-state-change)
  // one identity is enough (reg.single-identity-accepted, E17): user-only goes on like the others, from the user's device
  const ids = placeDevice(state, named, request[IE.ClientID]);
  const prevUser = state.device(ids.device)?.user;
  const outcome = ctx.withReports(
    () => [ids.user, prevUser].filter((u): u is string => !!u),
    () => seams.register(state, ids, notifyUri, seams.assigners[opts.policy], () => ctx.newClientId()),
  );
  if (outcome.deviceChange) startDeviceChange(ctx, notifyUri, outcome.clientId, ids.user);
  return seams.registrationAnswer(request, outcome.clientId);
}

/** A Notify-URI must be http(s) and name a host the Notify-URI policy allows (docs/security.md). */
export function checkNotifyUri(ctx: ServerContext, uri: string, message: string): void {
  const host = httpUrlHost(uri);
  if (host === undefined) throw new DpeError('INVALID_IE', `${message}: IE Notify-URI is not an http(s) URL`, IE.NotifyURI);
  if (!ctx.notifyHosts.allows(host)) {
    throw new DpeError(
      'INVALID_IE',
      `${message}: IE Notify-URI names host ${host}, which the server's Notify-URI policy does not allow (docs/security.md)`,
      IE.NotifyURI,
    );
  }
}
