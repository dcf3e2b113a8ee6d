// The independent DPE Server: HTTP framing of the binding (POST /dpe-1, POST /dpe-2 and the
// optional provisioning hooks) around the procedures in registration.ts and sp.ts.
// buildServer() builds it for in-process use; main.ts starts it from the command line.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Ctx } from './context';
import { Dispatcher } from './delivery';
import { DpeError, sendError, sendJson } from './errors';
import { Messages } from './messages';
import { register, resolveIdentities } from './registration';
import { authenticate, handleDpe2, onboard, relayRefused, trigger, type Answer } from './sp';
import { Store } from './store';
import { Flags, type ServerOptions } from './types';
import {
  checkMediaType, parseObject, validateDpe2, validateOnboarding, validateRegistration, validateTrigger, type Json, type RegistrationRequest,
} from './validate';

const BODY_LIMIT = 64 * 1024;
const REPORT_WAIT_CAP_MS = 1000;

export interface DpeServer {
  ctx: Ctx;
  server: http.Server;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

interface Body { raw: Buffer; tooLarge: boolean }

type Route = (req: http.IncomingMessage, body: Body) => Answer;

export function buildServer(opts: ServerOptions = {}): DpeServer {
  const flags = new Flags(opts.fault, opts.freedoms ?? []);
  const store = new Store(flags);
  const ctx: Ctx = { policy: opts.policy ?? 'per-user-and-device', store, flags, messages: new Messages(flags) };
  const log = opts.log ?? ((line: string) => process.stderr.write(`[independent-dpe] ${line}\n`));
  const dispatcher = new Dispatcher(ctx, opts.allowRemoteNotify ?? false, log);
  for (const sp of opts.sps ?? []) store.onboard(sp);

  const routes = new Map<string, Route>();
  routes.set('/dpe-1', (req, body) => {
    const json = jsonBody(req, body);
    let msg: RegistrationRequest;
    try {
      msg = validateRegistration(json);
    } catch (e) {
      if (flags.faulty('invalid-registration-changes-state')) registerRejected(req, json, e);
      throw e;
    }
    const ids = resolveIdentities(ctx, msg, req.headers, req.socket.remoteAddress ?? '');
    const { clientId, plan } = register(ctx, msg, ids);
    const messageId = flags.faulty('registration-response-new-message-id') ? `srv-reg-${++registrationCounter}` : msg.messageId;
    return { status: 200, body: { 'Message-Type': 'DPE_Registration_Response', 'Message-ID': messageId, 'Client-ID': clientId }, plan };
  });
  routes.set('/dpe-2', (req, body) => {
    // Authentication comes first: an unauthenticated SP learns nothing, not even validation.
    // Freedom validate-before-auth: a body that is no JSON object is refused before the token.
    if (flags.free('validate-before-auth')) jsonBody(req, body);
    let spId: string;
    try {
      spId = authenticate(ctx, req.headers.authorization);
    } catch (e) {
      if (flags.faulty('rejected-set-relayed')) refusedRelay(req, body);
      throw e;
    }
    return handleDpe2(ctx, validateDpe2(jsonBody(req, body)), spId);
  });
  if (!flags.free('no-provisioning-endpoint')) {
    routes.set('/provisioning/service-providers', (req, body) => onboard(ctx, validateOnboarding(jsonBody(req, body))));
  }
  if (!flags.free('no-registration-trigger-endpoint')) {
    routes.set('/provisioning/registration-triggers', (req, body) => trigger(ctx, validateTrigger(jsonBody(req, body))));
  }

  let registrationCounter = 0;

  /** Fault invalid-registration-changes-state: the association is updated before validation fails. */
  function registerRejected(req: http.IncomingMessage, json: Json, e: unknown): void {
    if (!(e instanceof DpeError) || (e.code !== 'MISSING_IE' && e.code !== 'INVALID_IE')) return;
    const str = (ie: string): string | undefined => (typeof json[ie] === 'string' && json[ie] !== '' ? (json[ie] as string) : undefined);
    const partial: RegistrationRequest = {
      messageId: str('Message-ID') ?? 'none', notifyUri: str('Notify-URI') ?? '',
      user: str('User-Identity'), device: str('Device-Identity'), clientId: str('Client-ID'),
    };
    try {
      const ids = resolveIdentities(ctx, partial, req.headers, req.socket.remoteAddress ?? '');
      dispatcher.dispatch(register(ctx, partial, ids).plan, Promise.resolve());
    } catch { /* no identity either: nothing to update */ }
  }

  function refusedRelay(req: http.IncomingMessage, body: Body): void {
    try {
      dispatcher.dispatch(relayRefused(ctx, validateDpe2(jsonBody(req, body))), Promise.resolve());
    } catch { /* not a valid set: nothing to leak */ }
  }

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      log(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { Error: { Code: 'INTERNAL', Detail: 'internal server error' } });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, flags.faulty('chunked-body-unlimited'));
    const path = new URL(req.url ?? '/', 'http://server').pathname;
    const route = routes.get(path);
    let answer: Answer;
    try {
      if (!route) throw new DpeError('NOT_FOUND', `no endpoint ${path}`);
      if (req.method !== 'POST') throw new DpeError('METHOD_NOT_ALLOWED', `${req.method ?? ''} not allowed; use POST`);
      answer = route(req, body);
    } catch (e) {
      if (!(e instanceof DpeError)) throw e;
      sendError(res, e, {
        withIe: !flags.faulty('error-object-without-ie'),
        extraFields: flags.free('error-extra-fields'),
        forbiddenForUnauthorized: flags.faulty('unauthorized-as-forbidden'),
      });
      return;
    }
    await respond(res, answer);
  }

  /** binding, Timing: messages may go before or after the answer (freedoms choose). */
  async function respond(res: http.ServerResponse, answer: Answer): Promise<void> {
    const early = flags.free('messages-before-response') || flags.free('reports-before-response');
    let open: () => void = () => undefined;
    const gate = early ? Promise.resolve() : new Promise<void>((resolve) => { open = resolve; });
    const sent = dispatcher.dispatch(answer.plan, gate);
    if (flags.free('messages-before-response')) await sent.clients;
    if (flags.free('reports-before-response')) await Promise.race([sent.reportsFirstAttempt, capped(REPORT_WAIT_CAP_MS)]);
    res.on('finish', () => open());
    res.on('close', () => open());
    if (answer.body === undefined) { res.writeHead(answer.status); res.end(); } else sendJson(res, answer.status, answer.body);
  }

  function jsonBody(req: http.IncomingMessage, body: Body): Json {
    if (body.tooLarge) throw new DpeError('PAYLOAD_TOO_LARGE', `body over ${BODY_LIMIT} bytes`);
    checkMediaType(req.headers['content-type']);
    return parseObject(body.raw);
  }

  let timersToClear: NodeJS.Timeout[] = [];
  function capped(ms: number): Promise<void> {
    return new Promise((resolve) => { const t = setTimeout(resolve, ms); timersToClear.push(t); });
  }

  return {
    ctx,
    server,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const addr = server.address() as AddressInfo;
          const h = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
          resolve(`http://${h}:${addr.port}`);
        });
      });
    },
    close() {
      dispatcher.close();
      for (const t of timersToClear) clearTimeout(t);
      timersToClear = [];
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Reads the whole body, keeping at most BODY_LIMIT bytes (the rest is drained, not kept). */
function readBody(req: http.IncomingMessage, unlimitedChunked: boolean): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Fault chunked-body-unlimited: without Content-Length the limit is not applied.
    const limited = !(unlimitedChunked && req.headers['content-length'] === undefined);
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= BODY_LIMIT || !limited) chunks.push(c);
    });
    req.on('end', () => resolve({ raw: Buffer.concat(chunks), tooLarge: limited && size > BODY_LIMIT }));
    req.on('error', reject);
  });
}
