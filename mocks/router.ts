/**
 * The mock-network router: one listener on the IXIT's fixed mockPort for the whole run, in the
 * process that coordinates the workers (src/cli/router-plugin.ts). A server under test with
 * its SPs configured beforehand reports to one Notify-URI per SP, http://<mockHost>:<mockPort>/sps/<SP-ID>,
 * whichever worker's scenario a report is about; so every worker's mock network listens on a
 * loopback port of its own, gives out Notify-URIs on the router, and the router delivers each
 * message to the worker it belongs to.
 *
 * Whose message it is, each worker's network says itself (mocks/attribution.ts, ClaimRank), by the
 * rules a single network attributes by: a device's path names its scenario; a message to an SP
 * names user identities (each worker makes its own: src/harness/identities.ts) and Client IDs.
 * The router asks every worker and delivers to the surest claim. A message that names nothing
 * known goes, in a run without workers, to its one network (which charges it to the running
 * scenario, as always); in a run with workers nobody can tell whose scenario caused it, so it is
 * unowned. A message no worker can own is refused with 404 and kept: at the end of the run it is
 * reported, and it fails the run (summary: unowned), as a single network's unowned messages do.
 * A message for a scenario whose worker has ended (it said so: POST /workers/<id>/ended) is
 * answered 410 and listed apart: it came after the end of that part of the run, when a single
 * network would not have been listening any more. Messages to one path keep their order.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY, SIZE_HEADER } from './arrival';
import type { ClaimRank } from './attribution';
import { CLAIM_PATH, CLAIM_PATH_HEADER, namedIdentities, parseOrText } from './attribution';
import type { Unattributed } from './parties';
import { IDLE_KEEP_ALIVE_MS } from '../src/process/keep-alive';
import { LISTEN_BACKLOG } from '../src/process/listen-backlog';

export interface RouterWorker {
  id: string;
  /** Where the worker's own network listens (loopback). */
  base: string;
  ended?: boolean;
}

/** A message that came for a worker after it had ended. */
export interface TooLate {
  at: string;
  path: string;
  worker: string;
}

const FORWARD_TIMEOUT_MS = 10_000;
const CLAIM_TIMEOUT_MS = 5_000;
/** Kept in full: the run's report lists the first ones. */
const MAX_UNOWNED = 1000;

const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

export class MockRouter {
  readonly unowned: Unattributed[] = [];
  readonly tooLate: TooLate[] = [];
  private readonly workers: RouterWorker[] = [];
  /** Scenario id -> the worker that runs it (device paths name their scenario). */
  private readonly scenarios = new Map<string, RouterWorker>();
  /** User identities and Client IDs of messages a worker claimed -> that worker (to know late ones). */
  private readonly identities = new Map<string, RouterWorker>();
  /** Per path: the delivery in progress, so that messages to one party keep their order. */
  private readonly chains = new Map<string, Promise<void>>();
  private front?: http.Server;
  private control?: http.Server;
  private publicBase = '';
  private controlBase = '';

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly advertisedHost?: string,
    /** Worker processes of the run (0: the run has none, its one network is in the coordinator). */
    private readonly parallel = 0,
  ) {}

  /** Listens on host:port for the target and on a loopback port for the workers. */
  async start(): Promise<void> {
    this.front = http.createServer((req, res) => this.receive(req, res));
    this.front.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
    await listen(this.front, this.port, this.host);
    this.publicBase = urlOf(this.advertisedHost ?? this.host, (this.front.address() as AddressInfo).port);
    this.control = http.createServer((req, res) => this.enrol(req, res));
    await listen(this.control, 0, '127.0.0.1');
    this.controlBase = urlOf('127.0.0.1', (this.control.address() as AddressInfo).port);
  }

  /** The base URL the target reaches the mocks at (what Notify-URIs name). */
  get baseUrl(): string {
    return this.publicBase;
  }

  /** Where workers enrol (POST /workers {id, base}): given to them as DPE_MOCK_ROUTER. */
  get controlUrl(): string {
    return this.controlBase;
  }

  enrolled(): RouterWorker[] {
    return [...this.workers];
  }

  async stop(): Promise<void> {
    await Promise.all([...this.chains.values()]);
    for (const s of [this.front, this.control]) {
      if (!s) continue;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  private enrol(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let w: Partial<RouterWorker> = {};
      try {
        w = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<RouterWorker>;
      } catch {
        // answered below
      }
      const ended = /^\/workers\/([^/]+)\/ended$/.exec(req.url ?? '');
      if (req.method === 'POST' && ended) {
        const worker = this.workers.find((x) => x.id === decodeURIComponent(ended[1]!));
        if (worker) worker.ended = true;
        return void res.writeHead(worker ? 204 : 404).end();
      }
      if (
        req.method !== 'POST' ||
        req.url !== '/workers' ||
        typeof w.id !== 'string' ||
        typeof w.base !== 'string' ||
        !/^http:\/\/(127\.\d+\.\d+\.\d+|\[::1\]):\d+$/.test(w.base)
      ) {
        return void res
          .writeHead(400, { 'content-type': 'text/plain' })
          .end('expected POST /workers {"id": "<worker>", "base": "http://127.0.0.1:<port>"}\n');
      }
      const known = this.workers.findIndex((x) => x.id === w.id);
      if (known >= 0) this.workers.splice(known, 1);
      this.workers.push({ id: w.id, base: w.base });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ base: this.publicBase }));
    });
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY + 1) chunks.push(c);
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).subarray(0, MAX_BODY + 1);
      const key = path.split('?')[0]!;
      const prev = this.chains.get(key) ?? Promise.resolve();
      const next = prev
        .then(() => this.deliver(req, res, path, body, size))
        .catch((e: unknown) => {
          if (!res.headersSent)
            res.writeHead(502, { 'content-type': 'text/plain' }).end(`dpe-conformance mock router: ${(e as Error).message}\n`);
        });
      this.chains.set(key, next);
      void next.then(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    });
  }

  private async deliver(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: Buffer, size: number): Promise<void> {
    const text = body.toString('utf8');
    const owner = await this.ownerOf(path, text);
    if (typeof owner === 'string') return this.refuse(res, path, text, `${req.method} ${path}: ${owner}`);
    if (owner.ended) {
      this.tooLate.push({ at: new Date().toISOString(), path, worker: owner.id });
      return void res
        .writeHead(410, { 'content-type': 'text/plain' })
        .end('dpe-conformance mock router: the worker that ran this scenario has ended\n');
    }
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'dpe-client-id']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    if (size > body.length) headers[SIZE_HEADER] = String(size);
    const answer = await fetch(`${owner.base}${path}`, {
      method: req.method ?? 'POST',
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    const reply = Buffer.from(await answer.arrayBuffer());
    const type = answer.headers.get('content-type');
    res.writeHead(answer.status, type ? { 'content-type': type } : {}).end(reply);
  }

  /** The worker a message belongs to, or why none can have it. */
  private async ownerOf(path: string, text: string): Promise<RouterWorker | string> {
    const parts = path.split('?')[0]!.split('/').filter(Boolean);
    const isDevice = parts[0] === 'clients' && parts.length === 3;
    if (!isDevice && !(parts[0] === 'sps' && parts.length === 2))
      return 'not a Notify-URI the harness gave out (clients/<scenario>/<device>, sps/<SP-ID>)';
    if (isDevice) {
      const known = this.scenarios.get(decodeURIComponent(parts[1]!));
      if (known) return known;
    }
    const named = namedIdentities(parseOrText(text));
    const live = this.workers.filter((w) => !w.ended);
    const ranks = await Promise.all(live.map((w) => this.ask(w, path, text)));
    const best = Math.max(-1, ...ranks);
    const surest = live.filter((_, i) => ranks[i] === best);
    if (best < 0 || (best === 0 && this.parallel > 1)) {
      // one an ended worker claimed before is its late message, not an unowned one
      const before = named.map((id) => this.identities.get(id)).find((w) => w?.ended);
      if (before) return before;
      if (!this.workers.length) return 'no worker of this run has started';
      if (best < 0)
        return isDevice ? 'no scenario of this run has this Notify-URI' : 'no worker of this run has this SP, or a scenario running';
      return `a message naming no identity any scenario knows, in a run of ${this.parallel} workers: nobody can tell whose it is (${text.slice(0, 200)})`;
    }
    const owner = surest[0]!;
    if (isDevice) this.scenarios.set(decodeURIComponent(parts[1]!), owner);
    else if (best > 0) for (const id of named) this.identities.set(id, owner);
    return owner;
  }

  private async ask(w: RouterWorker, path: string, text: string): Promise<ClaimRank> {
    try {
      const r = await fetch(`${w.base}${CLAIM_PATH}`, {
        method: 'POST',
        headers: { [CLAIM_PATH_HEADER]: path },
        body: text,
        signal: AbortSignal.timeout(CLAIM_TIMEOUT_MS),
      });
      const { rank } = (await r.json()) as { rank?: unknown };
      return typeof rank === 'number' && rank >= -1 && rank <= 4 ? (rank as ClaimRank) : -1;
    } catch {
      return -1; // a worker that has ended owns nothing any more
    }
  }

  private refuse(res: http.ServerResponse, path: string, text: string, why: string): void {
    if (this.unowned.length < MAX_UNOWNED) this.unowned.push({ at: new Date().toISOString(), path, body: text.slice(0, 2000), why });
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`dpe-conformance mock router: ${why}\n`);
  }
}

function listen(s: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      s.off('error', reject);
      resolve();
    });
  });
}

/** Tells the router that a worker has ended (its AfterAll): later messages for it are too late, not unowned. */
export async function leaveRouter(controlUrl: string, workerId: string): Promise<void> {
  await fetch(`${controlUrl}/workers/${encodeURIComponent(workerId)}/ended`, {
    method: 'POST',
    signal: AbortSignal.timeout(CLAIM_TIMEOUT_MS),
  });
}

/** Enrols a worker's network with the router at `controlUrl`; returns the base URL Notify-URIs must name. */
export async function enrolWithRouter(controlUrl: string, worker: RouterWorker): Promise<string> {
  const r = await fetch(`${controlUrl}/workers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(worker),
    signal: AbortSignal.timeout(CLAIM_TIMEOUT_MS),
  });
  if (r.status !== 200) throw new Error(`the mock router at ${controlUrl} refused worker ${worker.id}: ${r.status} ${await r.text()}`);
  const { base } = (await r.json()) as { base: string };
  return base;
}
