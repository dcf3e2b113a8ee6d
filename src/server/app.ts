/**
 * The reference DPE Server as an HTTP app (binding: docs/binding.md). `buildServer` builds it
 * without listening, for in-process use and supertest; `listen` starts it on loopback.
 * Every input is read within the input limits and validated against the message catalog
 * before any state changes (docs/security.md).
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { numbered } from '../catalog/protocol';
import { MessageValidator } from '../catalog/validate';
import type { ServerContext } from './context';
import { onRegistration } from './dpe1';
import { authenticateSp, onDpe2 } from './dpe2';
import { onOnboard, onTrigger, requireAdmin } from './hooks';
import type { Endpoint } from './http-front';
import { createFront, router } from './http-front';
import type { Delivery, OutboxHealth } from './outbox';
import { Outbox } from './outbox';
import type { ServerOptions } from './options';
import { resolveOptions } from './options';
import { withClientIdReports } from './procedures/client-id-change';
import type { Json, Reply, ServerSeams } from './seams';
import { DEFAULT_SEAMS } from './seams';
import { AddressPolicy, bearerToken, sameSecret, trustedHeaders } from './security';
import { ServerState } from './state';

export { DEFAULT_SEAMS, type ServerSeams, type Reply } from './seams';
export type { ServerOptions } from './options';

export interface DpeServer {
  readonly server: http.Server;
  readonly state: ServerState;
  /** Starts listening on host:port (port 0 = ephemeral) and returns the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Resolves when every queued outbound message was delivered or given up. */
  settle(): Promise<void>;
  /** What GET /health shows (with its full detail). */
  health(): HealthBody;
  /** Stops accepting requests, delivers what is queued for at most `graceMs`, gives up the rest, closes. */
  shutdown(graceMs: number): Promise<void>;
  /** Closes at once; queued messages are given up. */
  close(): Promise<void>;
}

export interface HealthBody {
  status: 'ok' | 'draining';
  delivery: OutboxHealth | (Pick<OutboxHealth, 'queued' | 'inFlight' | 'counters'> & { deadLetters: { count: number } });
}

export function buildServer(options: ServerOptions): DpeServer {
  const opts = resolveOptions(options);
  const seams: ServerSeams = { ...DEFAULT_SEAMS, ...options.seams };
  const validator = new MessageValidator(options.erratumReadings ?? {});
  const state = new ServerState();
  for (const sp of options.serviceProviders ?? []) state.serviceProviders.set(sp.spId, { ...sp });
  const outbox = new Outbox(options.delivery ?? {}, options.onDelivery, seams.deliveryAttempt, opts.logger, seams.attemptDelivery);
  const proxies = new AddressPolicy(opts.security.trustedProxies);
  const instance = randomBytes(3).toString('hex');
  let counter = 0;
  let clientMessageCounter = 0;
  let reportCounter = 0;
  let draining = false;

  const ctx: ServerContext = {
    opts,
    seams,
    state,
    validator,
    notifyHosts: new AddressPolicy(opts.security.notifyHosts),
    send: (d: Delivery) => seams.deliver(d, (x) => outbox.send(x)),
    // every server-to-client message names the Client ID the device was given (dc.addressed-to-current-client)
    sendToClient: (notifyUri, clientId, msgs, batch) => {
      for (const m of msgs) {
        const body = numbered(m, `s-${++clientMessageCounter}`);
        ctx.send({ url: notifyUri, headers: { 'DPE-Client-ID': clientId }, body, ...(batch ? { batch } : {}) });
      }
    },
    withReports: (users, transition) => {
      const { result, reports } = withClientIdReports(state, users, transition, seams.planReports, {
        nullUserReports: opts.nullUserReports,
      });
      for (const r of reports) {
        // an integer Message-ID no other report carried (cid.report-message-id-unique)
        ctx.send({ url: r.sp.notifyUri, headers: {}, body: numbered(r.body, ++reportCounter) });
      }
      return result;
    },
    newClientId: () => {
      let id: string;
      do id = seams.mintClientId(++counter, instance);
      while (state.issuedClientIds.has(id));
      state.issuedClientIds.add(id);
      return id;
    },
  };

  const health = (full: boolean): HealthBody => {
    const h = outbox.health();
    const status = draining ? 'draining' : 'ok';
    if (full) return { status, delivery: h };
    return {
      status,
      delivery: { queued: h.queued, inFlight: h.inFlight, deadLetters: { count: h.deadLetters.count }, counters: h.counters },
    };
  };
  const isAdmin = (headers: http.IncomingHttpHeaders) => {
    const token = bearerToken(headers.authorization);
    return opts.adminToken === undefined || (token !== undefined && sameSecret(token, opts.adminToken));
  };

  // X-DPE-* identity headers count only from a trusted proxy (docs/security.md)
  const identityHeaders = (req: http.IncomingMessage) => trustedHeaders(req.headers, req.socket.remoteAddress, proxies);
  const hook = (path: string, handle: (body: Json) => Reply): Endpoint => ({
    method: 'POST',
    guard: (req) => requireAdmin(ctx, req.headers, path),
    handle,
  });
  const endpoints: Record<string, Endpoint | undefined> = {
    '/health': { method: 'GET', handle: (_, req) => ({ status: 200, body: health(isAdmin(req.headers)) }) },
    '/dpe-1': { method: 'POST', handle: (body, req) => onRegistration(ctx, body, identityHeaders(req)) },
    '/dpe-2': {
      method: 'POST',
      guard: (req) => authenticateSp(ctx, req.headers),
      handle: (body, req) => onDpe2(ctx, authenticateSp(ctx, identityHeaders(req)), body),
    },
    '/provisioning/service-providers': opts.provisioningEndpoint
      ? hook('/provisioning/service-providers', (body) => onOnboard(ctx, body))
      : undefined,
    '/provisioning/registration-triggers': opts.serverDrivenRegistration
      ? hook('/provisioning/registration-triggers', (body) => onTrigger(ctx, body))
      : undefined,
  };

  const server = createFront(opts.limits, router(endpoints, opts.limits.maxJsonDepth), (e) => seams.errorAnswer(e), opts.logger);

  const closeServer = () => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  };
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
    health: () => health(true),
    shutdown: async (graceMs) => {
      draining = true;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await new Promise<void>((r) => setImmediate(r)); // device-change messages are queued after the answer
      await outbox.drain(graceMs);
      server.closeAllConnections();
      await closed;
    },
    close: async () => {
      outbox.close();
      await closeServer();
    },
  };
}
