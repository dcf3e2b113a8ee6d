/**
 * The reference DPE Server as an HTTP app (binding: docs/binding.md). `buildServer` builds it
 * without listening, for in-process use and supertest; `listen` starts it on loopback.
 * Every input is validated against the message catalog before any state changes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ClientIdPolicy } from '../config/ics';
import { MessageValidator } from '../catalog/validate';
import type { Direction } from '../catalog/messages';
import type { ErratumReadings } from '../catalog/schemas';
import { ASSIGNERS, type ClientIdAssigner } from './client-id-policy';
import { DEVICE_CHANGE_STEPS, deviceChangeMessages, type ClientMessage, type DeviceChangeStep } from './device-change';
import { DpeError } from './errors';
import { resolveIdentities, type IdentityResolver } from './identity';
import { DEFAULT_DELIVERY, Outbox, type Delivery, type DeliveryLog, type DeliveryOptions } from './outbox';
import { register } from './registration';
import { planReports, snapshot, type ReportPlanner } from './reporting';
import { ServerState, type DeviceRecord, type ServiceProvider } from './state';
import type { Policy } from './settings';

/** Replaceable parts of the server: the seams faulty and variant servers are built through. */
export interface ServerSeams {
  identity: IdentityResolver;
  assigners: Record<ClientIdPolicy, ClientIdAssigner>;
  deviceChangeSteps: readonly DeviceChangeStep[];
  planReports: ReportPlanner;
  /** Answer to DPE_Client_ID_Query: the user's valid Client IDs. */
  queryClientIds: (state: ServerState, user: string) => string[];
  /** The registration transition (8.1.1, 8.2.2): associations, Client ID, device-change detection. */
  register: typeof register;
  /** Input validation of an inbound message against the catalog, before any state changes. */
  validate: (body: Json, direction: Direction, ctx: { state: ServerState; validator: MessageValidator }) => { type: string };
  /** The onboarded SP a DPE-2 bearer token belongs to; undefined rejects the request. */
  authenticate: (state: ServerState, token: string | undefined) => ServiceProvider | undefined;
  /** The devices an SP's group or policy for `user` is relayed to. */
  relayTargets: (state: ServerState, user: string) => DeviceRecord[];
  /** Shape of the n-th new Client ID; the server skips any already issued. */
  mintClientId: (n: number, instance: string) => string;
  /** Answer building: registration response, query response, error answer. */
  registrationAnswer: (request: Json, clientId: string) => Reply;
  queryAnswer: (request: Json, clientIds: string[]) => Reply;
  errorAnswer: (e: DpeError) => Reply;
  /** Hands each outbound message to the outbox (a variant may delay or decorate it). */
  deliver: (d: Delivery, send: (d: Delivery) => void) => void;
  /** What one delivery attempt sends (1 = first); retries resend the message unchanged. */
  deliveryAttempt: (d: Delivery, attempt: number) => Delivery;
}

export const DEFAULT_SEAMS: ServerSeams = {
  identity: resolveIdentities,
  assigners: ASSIGNERS,
  deviceChangeSteps: DEVICE_CHANGE_STEPS,
  planReports,
  queryClientIds: (state, user) => state.clientIdsOf(user),
  register,
  validate: (body, direction, { validator }) => validator.assert(body, direction),
  authenticate: (state, token) => (token ? state.spByToken(token) : undefined),
  relayTargets: (state, user) =>
    state.devicesOf(user).map((d) => state.devices.get(d)!).filter((r) => r.clientId),
  mintClientId: (n, instance) => `dpe-${instance}-${n.toString(36)}`,
  registrationAnswer: (request, clientId) => ({
    status: 200,
    body: { 'Message-Type': 'DPE_Registration_Response', 'Message-ID': request['Message-ID'], 'Client-ID': clientId },
  }),
  queryAnswer: (request, ids) => ({
    status: 200,
    body: { 'Message-Type': 'DPE_Client_ID_Response', 'Message-ID': request['Message-ID'], 'Client-ID': ids.length ? ids : null },
  }),
  errorAnswer: (e) => ({ status: e.status, body: e.toBody() }),
  deliver: (d, send) => send(d),
  deliveryAttempt: (d) => d,
};

export interface ServerOptions {
  policy: ClientIdPolicy;
  /** SPs onboarded by static configuration. */
  serviceProviders?: ServiceProvider[];
  provisioningEndpoint?: boolean;
  networkIdentityHeaders?: boolean;
  serverDrivenRegistration?: boolean;
  nullUserReports?: boolean;
  erratumReadings?: ErratumReadings;
  delivery?: Partial<DeliveryOptions>;
  maxBodyBytes?: number;
  seams?: Partial<ServerSeams>;
  /** Called for every outbound delivery attempt (for logs and tests). */
  onDelivery?: DeliveryLog;
}

export interface DpeServer {
  readonly server: http.Server;
  readonly state: ServerState;
  /** Starts listening on host:port (port 0 = ephemeral) and returns the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Resolves when every queued outbound message was delivered or given up. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
export interface Reply {
  status: number;
  body?: unknown;
}

export function buildServer(options: ServerOptions): DpeServer {
  const opts = {
    provisioningEndpoint: true,
    networkIdentityHeaders: true,
    serverDrivenRegistration: true,
    nullUserReports: true,
    maxBodyBytes: 64 * 1024,
    ...options,
  };
  const seams: ServerSeams = { ...DEFAULT_SEAMS, ...options.seams };
  const validator = new MessageValidator(opts.erratumReadings ?? {});
  const state = new ServerState();
  for (const sp of opts.serviceProviders ?? []) state.serviceProviders.set(sp.spId, { ...sp });
  const outbox = new Outbox({ ...DEFAULT_DELIVERY, ...opts.delivery }, opts.onDelivery, seams.deliveryAttempt);
  const send = (d: Delivery) => seams.deliver(d, (x) => outbox.send(x));
  const instance = randomBytes(3).toString('hex');
  let counter = 0;
  const newClientId = () => {
    let id: string;
    do id = seams.mintClientId(++counter, instance);
    while (state.issuedClientIds.has(id));
    state.issuedClientIds.add(id);
    return id;
  };
  let clientMessageCounter = 0;
  let reportCounter = 0;

  const sendToClient = (notifyUri: string, clientId: string, msgs: ClientMessage[]) => {
    for (const m of msgs) {
      const body = { ...m, 'Message-ID': `s-${++clientMessageCounter}` };
      send({ url: notifyUri, headers: { 'DPE-Client-ID': clientId }, body });
    }
  };

  /** Runs a state transition touching `users`, then reports every Client ID change (8.2.3). */
  const withReports = <T>(users: () => Iterable<string>, transition: () => T & { affectedUsers?: string[] }): T => {
    const before = snapshot(state, users());
    const result = transition();
    const touched = new Set([...before.users.keys(), ...(result.affectedUsers ?? [])]);
    const after = snapshot(state, touched);
    for (const u of touched) if (!before.users.has(u)) before.users.set(u, []);
    for (const r of seams.planReports(state, before, after, { nullUserReports: opts.nullUserReports })) {
      send({ url: r.sp.notifyUri, headers: {}, body: { ...r.body, 'Message-ID': ++reportCounter } });
    }
    return result;
  };

  // ---- DPE-1 -------------------------------------------------------------------------
  const onRegistration = (body: Json, headers: http.IncomingHttpHeaders): Reply => {
    const ids = seams.identity(body, headers, { networkIdentityHeaders: opts.networkIdentityHeaders });
    const notifyUri = body['Notify-URI'] as string;
    if (!isHttpUrl(notifyUri)) {
      throw new DpeError('INVALID_IE', 'DPE_Registration_Request: IE Notify-URI is not an http(s) URL', 'Notify-URI');
    }
    const prevUser = state.devices.get(ids.device)?.user;
    const outcome = withReports(
      () => [ids.user, prevUser].filter((u): u is string => !!u),
      () => seams.register(state, ids, notifyUri, seams.assigners[opts.policy], newClientId),
    );
    if (outcome.deviceChange) {
      const settings = ids.user ? state.settings.get(ids.user) : undefined;
      // after the response: the client learns its Client ID before messages addressed to it
      setImmediate(() =>
        sendToClient(notifyUri, outcome.clientId, deviceChangeMessages(seams.deviceChangeSteps, settings)),
      );
    }
    return seams.registrationAnswer(body, outcome.clientId);
  };

  // ---- DPE-2 -------------------------------------------------------------------------
  const onQuery = (sp: ServiceProvider, body: Json): Reply => {
    const user = body['Query-Key'] as string;
    state.markConcerned(user, sp.spId);
    return seams.queryAnswer(body, seams.queryClientIds(state, user));
  };

  const onDefine = (sp: ServiceProvider, body: Json): Reply => {
    const user = body['User-Identity'] as string;
    const s = state.settingsOf(user);
    let relay: ClientMessage;
    switch (body['Message-Type']) {
      case 'DPE_Group_Set': {
        const g = { groupId: body['Group-ID'] as string, properties: [...(body['Properties'] as string[])] };
        s.groups.set(g.groupId, g);
        relay = { 'Message-Type': 'DPE_Group_Set', 'Group-ID': g.groupId, Properties: [...g.properties] };
        break;
      }
      case 'DPE_Property_Policy_Set': {
        const p = { policyId: body['Policy-ID'] as string, property: body['Property'] as string, policy: body['Policy'] as Policy };
        s.propertyPolicies.set(p.policyId, p);
        relay = { 'Message-Type': 'DPE_Property_Policy_Set', 'Policy-ID': p.policyId, Property: p.property, Policy: { ...p.policy } };
        break;
      }
      default: {
        const p = { policyId: body['Policy-ID'] as string, groupId: body['Group-ID'] as string, policy: body['Policy'] as Policy };
        s.groupPolicies.set(p.policyId, p);
        relay = { 'Message-Type': 'DPE_Group_Policy_Set', 'Policy-ID': p.policyId, 'Group-ID': p.groupId, Policy: { ...p.policy } };
      }
    }
    state.markConcerned(user, sp.spId);
    for (const rec of seams.relayTargets(state, user)) {
      if (rec.clientId) sendToClient(rec.notifyUri, rec.clientId, [relay]);
    }
    return { status: 204 };
  };

  const authenticate = (headers: http.IncomingHttpHeaders): ServiceProvider => {
    const m = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
    const sp = seams.authenticate(state, m?.[1]);
    if (!sp) throw new DpeError('UNAUTHORIZED', 'DPE-2 requests need "Authorization: Bearer <token>" of an onboarded SP');
    return sp;
  };

  // ---- upper-tester endpoints (binding: optional) --------------------------------------
  const onOnboard = (body: Json): Reply => {
    for (const ie of ['SP-ID', 'Token', 'Notify-URI']) {
      if (body[ie] === undefined) throw new DpeError('MISSING_IE', `service provider onboarding: ${ie} is missing`, ie);
      if (typeof body[ie] !== 'string' || !body[ie]) {
        throw new DpeError('INVALID_IE', `service provider onboarding: ${ie} must be a non-empty string`, ie);
      }
    }
    if (!isHttpUrl(body['Notify-URI'] as string)) {
      throw new DpeError('INVALID_IE', 'service provider onboarding: Notify-URI is not an http(s) URL', 'Notify-URI');
    }
    const sp = { spId: body['SP-ID'] as string, token: body['Token'] as string, notifyUri: body['Notify-URI'] as string };
    const holder = state.spByToken(sp.token);
    if (holder && holder.spId !== sp.spId) {
      throw new DpeError('INVALID_IE', `service provider onboarding: Token is already used by SP ${holder.spId}`, 'Token');
    }
    state.serviceProviders.set(sp.spId, sp);
    return { status: 201 };
  };

  const onTrigger = (body: Json): Reply => {
    const clientId = body['Client-ID'];
    if (typeof clientId !== 'string' || !clientId) {
      throw new DpeError(clientId === undefined ? 'MISSING_IE' : 'INVALID_IE', 'registration trigger: Client-ID must be a non-empty string', 'Client-ID');
    }
    const rec = state.deviceByClientId(clientId);
    if (!rec) throw new DpeError('NOT_FOUND', `registration trigger: no client holds Client ID ${clientId}`, 'Client-ID');
    sendToClient(rec.notifyUri, clientId, [{ 'Message-Type': 'DPE_Registration_Trigger' }]);
    return { status: 202 };
  };

  // ---- routing -------------------------------------------------------------------------
  const route = (method: string, path: string, headers: http.IncomingHttpHeaders, raw: Buffer): Reply => {
    const routes: Record<string, ((body: Json) => Reply) | undefined> = {
      '/dpe-1': (body) => {
        seams.validate(body, 'client-to-server', { state, validator });
        return onRegistration(body, headers);
      },
      '/dpe-2': (body) => {
        const sp = authenticate(headers);
        const def = seams.validate(body, 'sp-to-server', { state, validator });
        return def.type === 'DPE_Client_ID_Query' ? onQuery(sp, body) : onDefine(sp, body);
      },
      '/provisioning/service-providers': opts.provisioningEndpoint ? onOnboard : undefined,
      '/provisioning/registration-triggers': opts.serverDrivenRegistration ? onTrigger : undefined,
    };
    const handler = routes[path];
    if (!handler) throw new DpeError('NOT_FOUND', `no such endpoint: ${path}`);
    if (method !== 'POST') throw new DpeError('METHOD_NOT_ALLOWED', `${path} accepts POST only`);
    if (path === '/dpe-2') authenticate(headers); // unauthenticated SPs learn nothing, not even parse errors
    const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      throw new DpeError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, not "${type || 'none'}"`);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw new DpeError('MALFORMED_JSON', `the body is not JSON: ${(e as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new DpeError('MALFORMED_JSON', 'the body must be a JSON object');
    }
    return handler(body as Json);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > opts.maxBodyBytes) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      let reply: Reply;
      try {
        if (tooLarge) throw new DpeError('PAYLOAD_TOO_LARGE', `the body exceeds ${opts.maxBodyBytes} bytes`);
        const path = (req.url ?? '/').split('?')[0];
        reply = route(req.method ?? 'GET', path, req.headers, Buffer.concat(chunks));
      } catch (e) {
        const err = e instanceof DpeError ? e : toDpeError(e);
        reply = seams.errorAnswer(err);
      }
      if (reply.body === undefined) {
        res.writeHead(reply.status).end();
      } else {
        const text = JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      }
    });
  });
  server.keepAliveTimeout = 1000;

  return {
    server,
    state,
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: p } = server.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${p}`);
        });
      }),
    settle: () => new Promise<void>((r) => setImmediate(r)).then(() => outbox.idle()),
    close: async () => {
      outbox.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function toDpeError(e: unknown): DpeError {
  const problems = (e as { problems?: import('../catalog/validate').Problem[] }).problems;
  if (problems?.length) return DpeError.fromProblem(problems[0]);
  return new DpeError('INVALID_IE', `internal error: ${(e as Error).message}`, undefined, 500);
}
