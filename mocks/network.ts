/**
 * The mock network: one real loopback HTTP listener that plays every DPE Client (device) and
 * every Service Provider of the harness.
 *
 * Glossary
 *   device    a mock DPE Client: a device identity (IMEI) that may hold a SIM (a user identity)
 *   SP        a mock Service Provider: SP-ID, token, a Notify-URI on this listener
 *   trace     the ordered record of one scenario's messages (src/harness/trace.ts)
 *   late      a message for a scenario that has ended: recorded in its trace and judged again
 *   unattributed  a message no scenario owns: refused with 404 and reported as a failure
 *
 * Paths: /clients/<scenario>/<device> for devices, /sps/<SP-ID> for SPs. When the harness picks
 * the ports (mockPort 0), each SP listens on a port of its own as well, so that one SP can be made
 * unreachable (its port closed) while every other party stays up. Every message the
 * target sends here is validated against the message catalog and recorded with its problems;
 * a malformed message fails the scenario (see the world's After hook). Every message is
 * attributed to the scenario it belongs to: by path for devices, by the identities it names for
 * SPs (which outlive scenarios).
 *
 * Behind a router (a fixed mockPort: mocks/router.ts), the network listens on a loopback port of
 * its own, gives out Notify-URIs on the router's address, and answers the router's claims
 * (POST /_router/claim: could this message be mine?) by the same attribution rules.
 *
 * Beside it: parties.ts (who it delivers to), own-port.ts (an SP's own port), attribution.ts
 * (whose message it is), arrival.ts (what a message that arrives is judged to be).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageValidator } from '../src/catalog/validate';
import { messageTypeOf } from '../src/catalog/protocol';
import { readBodyCapped } from '../src/server/body';
import { judgeArrival, MAX_BODY, reactionNote, SIZE_HEADER } from './arrival';
import type { Attribution, ClaimRank } from './attribution';
import { CLAIM_PATH, CLAIM_PATH_HEADER, claimRank, parseOrText, routeForSpMessage, safeDecode } from './attribution';
import type { SpPort } from './own-port';
import { OwnPort } from './own-port';
import type { Party, ScenarioRoute, Unattributed } from './parties';
import { IDLE_KEEP_ALIVE_MS } from '../src/process/keep-alive';
import { LISTEN_BACKLOG } from '../src/process/listen-backlog';

/** How many finished scenarios are kept to judge their late messages. */
const RETAINED_SCENARIOS = 500;

export class MockNetwork {
  private server?: http.Server;
  private base = '';
  private current: ScenarioRoute | null = null;
  private readonly routes = new Map<string, ScenarioRoute>();
  private readonly sps = new Map<string, Party>();
  readonly unattributed: Unattributed[] = [];
  private lastArrival = Date.now();
  private arrivalWaiters: Array<() => void> = [];
  /** Set behind a router: Notify-URIs name the router, which forwards and asks claims. */
  private routed = false;
  private readonly ownPorts = new Map<string, OwnPort>();
  /** Answers an SP fault switch keeps open (hang): ended with the scenario. */
  private readonly unanswered = new Set<http.ServerResponse>();

  constructor(
    private readonly validator: MessageValidator,
    private readonly host: string,
    private readonly port: number,
    private readonly advertisedHost?: string,
  ) {}

  /** Starts listening; with an ephemeral mockPort (0), each of `ownPortsFor` (SP-IDs) gets a port of its own too. */
  async start(ownPortsFor: readonly string[] = []): Promise<void> {
    const { server, port } = await this.listenOn(this.port);
    this.server = server;
    this.base = this.urlOf(port);
    if (this.port !== 0) return;
    for (const spId of ownPortsFor) {
      const own = await this.listenOn(0);
      this.ownPorts.set(spId, new OwnPort(own.server, this.host, own.port, `${this.urlOf(own.port)}/sps/${encodeURIComponent(spId)}`));
    }
  }

  private async listenOn(port: number): Promise<{ server: http.Server; port: number }> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: this.host, backlog: LISTEN_BACKLOG }, () => resolve());
    });
    return { server, port: (server.address() as AddressInfo).port };
  }

  private urlOf(port: number): string {
    const host = this.advertisedHost ?? this.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async stop(): Promise<void> {
    this.endUnanswered();
    for (const p of this.ownPorts.values()) await p.stop();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  /** The SP's own port, when it has one. */
  portOf(spId: string): SpPort | undefined {
    return this.ownPorts.get(spId);
  }

  /** Why an SP's port could not be opened again after an outage, if that happened. */
  portFailure(spId: string): string | undefined {
    return this.ownPorts.get(spId)?.failure;
  }

  /**
   * Ends what SP fault switches left behind, once a scenario is over: closed ports open again,
   * unanswered messages get their connection closed (the target sees a network error).
   */
  async endFaults(): Promise<void> {
    this.endUnanswered();
    for (const p of this.ownPorts.values()) await p.open();
  }

  private endUnanswered(): void {
    for (const res of this.unanswered) res.socket?.destroy();
    this.unanswered.clear();
  }

  get baseUrl(): string {
    return this.base;
  }

  /** Where this network itself listens (behind a router, not what Notify-URIs name). */
  get listeningUrl(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${port}`;
  }

  /** Behind a router: Notify-URIs given out from now on name the router's base URL. */
  advertiseAs(routerBase: string): void {
    this.base = routerBase.replace(/\/+$/, '');
    this.routed = true;
  }

  /** How surely the message sent to `path` is this network's (see ClaimRank). */
  claim(path: string, text: string): ClaimRank {
    return claimRank(this.attribution, path, text);
  }

  private get attribution(): Attribution {
    return { routes: this.routes, current: this.current, sps: this.sps };
  }

  addSp(spId: string, party: Party): string {
    this.sps.set(spId, party);
    return this.spUri(spId);
  }

  spUri(spId: string): string {
    return this.ownPorts.get(spId)?.uri ?? `${this.base}/sps/${encodeURIComponent(spId)}`;
  }

  clientUri(scenarioId: string, deviceKey: string): string {
    return `${this.base}/clients/${scenarioId}/${encodeURIComponent(deviceKey)}`;
  }

  attach(route: ScenarioRoute): void {
    this.routes.set(route.id, route);
    for (const id of this.routes.keys()) {
      if (this.routes.size <= RETAINED_SCENARIOS) break;
      this.routes.delete(id);
    }
    this.current = route;
  }

  detach(): void {
    this.current = null;
  }

  /** Ends once no message has arrived for `ms` (at most 3 × ms): the run's last settle window. */
  async quiet(ms: number): Promise<void> {
    const end = Date.now() + 3 * ms;
    for (;;) {
      const left = Math.min(this.lastArrival + ms - Date.now(), end - Date.now());
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.arrivalWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Finished scenarios still kept (to judge late messages). */
  retained(): ScenarioRoute[] {
    return [...this.routes.values()];
  }

  /** Unattributed messages that arrived while `scenarioId` ran. */
  unattributedDuring(scenarioId: string): Unattributed[] {
    return this.unattributed.filter((u) => u.during === scenarioId);
  }

  private refuse(res: http.ServerResponse, path: string, text: string, why: string): void {
    this.unattributed.push({
      at: new Date().toISOString(),
      path,
      body: text.slice(0, 2000),
      why,
      ...(this.current ? { during: this.current.id } : {}),
    });
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`dpe-conformance mock network: ${why}\n`);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    // the server's one body reader; an over-limit body is read to its end and judged, not refused
    readBodyCapped(req, MAX_BODY).then(
      ({ body: raw, size }) => this.arrived(req, res, raw, size),
      () => req.socket.destroy(),
    );
  }

  private arrived(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer, size: number): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const text = raw.toString('utf8');
    if (this.routed && path === CLAIM_PATH && req.method === 'POST') {
      const asked = req.headers[CLAIM_PATH_HEADER];
      const rank = typeof asked === 'string' ? this.claim(asked, text) : -1;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rank }));
    }
    this.lastArrival = Date.now();
    for (const w of this.arrivalWaiters.splice(0)) w();
    // a router cut an oversized body and says how large it was
    const cut = this.routed ? Number(req.headers[SIZE_HEADER]) : NaN;
    if (Number.isInteger(cut) && cut > size) size = cut;
    const parts = path.split('/').filter(Boolean).map(safeDecode);
    let route: ScenarioRoute | undefined;
    let party: Party | undefined;
    let direction: 'server-to-client' | 'server-to-sp';
    if (parts[0] === 'clients' && parts.length === 3) {
      route = this.routes.get(parts[1]!);
      party = route?.devices.get(parts[2]!);
      direction = 'server-to-client';
      if (!party) return this.refuse(res, path, text, `${req.method} ${path}: no device of this run has this Notify-URI`);
    } else if (parts[0] === 'sps' && parts.length === 2) {
      party = this.sps.get(parts[1]!);
      direction = 'server-to-sp';
      if (!party) return this.refuse(res, path, text, `${req.method} ${path}: no SP of the IXIT has this Notify-URI`);
      route = routeForSpMessage(this.attribution, parseOrText(text));
      if (!route)
        return this.refuse(
          res,
          path,
          text,
          `${req.method} ${path}: a message to the ${party.name} while no scenario runs, about no identity any scenario knows: ${text.slice(0, 200)}`,
        );
    } else {
      return this.refuse(
        res,
        path,
        text,
        `${req.method} ${path}: not a Notify-URI the harness gave out (clients/<scenario>/<device>, sps/<SP-ID>)`,
      );
    }
    if (!route) return this.refuse(res, path, text, `${req.method} ${path}: no scenario of this run`);
    const { body, problems } = judgeArrival(this.validator, direction, text, size, req.headers['content-type']);
    const headers: Record<string, string> = {};
    const cid = req.headers['dpe-client-id'];
    if (typeof cid === 'string') headers['DPE-Client-ID'] = cid;
    const reaction = party.respond ? party.respond(body) : 204;
    const note = reactionNote(reaction);
    const entry = route.trace.add({
      from: 'DPE Server',
      to: party.name,
      kind: 'notify',
      messageType: messageTypeOf(body) ?? '(unknown)',
      body,
      headers,
      problems,
      ...(note ? { note } : {}),
      ...(route.ended ? { late: true } : {}),
    });
    if (reaction === 'reset') {
      req.socket.resetAndDestroy();
    } else if (reaction === 'hang') {
      this.unanswered.add(res);
      res.once('close', () => this.unanswered.delete(res));
    } else {
      res.writeHead(reaction).end();
      if (direction === 'server-to-sp') route.onSpMessage(party, entry, reaction);
      else party.onMessage?.(entry);
    }
    if (route.ended) route.onLate(entry);
  }
}
