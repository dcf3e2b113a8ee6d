/**
 * The mock network: one real loopback HTTP listener that plays every DPE Client (device) and
 * every Service Provider of the harness.
 *
 * Glossary
 *   device    a mock DPE Client: a device identity (IMEI) that may hold a SIM (a user identity)
 *   SP        a mock Service Provider: SP-ID, token, a Notify-URI on this listener
 *   trace     the ordered record of one scenario's messages (src/harness/trace.ts)
 *   stray     a message that reached the network for no current scenario (kept, and reported)
 *
 * Paths: /clients/<scenario>/<device> for devices, /sps/<SP-ID> for SPs. Every message the
 * target sends here is validated against the message catalog and recorded with its problems;
 * a malformed message fails the scenario (see the world's After hook).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageValidator, Problem } from '../src/catalog/validate';
import type { Trace, TraceEntry } from '../src/harness/trace';
import { messageTypeOf } from '../src/harness/target';

/** What a party answers to a message delivered to it (2xx unless a test says otherwise). */
export type Responder = (body: unknown) => number;

export interface Party {
  /** Name in the trace: "phone A", "maps provider". */
  readonly name: string;
  readonly respond?: Responder;
  /** Called after the answer was sent, e.g. a device re-registering on a trigger. */
  onMessage?(entry: TraceEntry): void;
}

export interface ScenarioRoute {
  id: string;
  trace: Trace;
  devices: Map<string, Party>;
  /** The user identities and Client IDs this scenario has seen (to attribute SP messages). */
  identities(): Iterable<string>;
}

/** How many identities of finished scenarios are remembered to recognise their late messages. */
const RETIRED_LIMIT = 20_000;

const MAX_BODY = 256 * 1024;

export class MockNetwork {
  private server?: http.Server;
  private base = '';
  private scenario: ScenarioRoute | null = null;
  private readonly sps = new Map<string, Party>();
  readonly strays: Array<{ path: string; body: unknown; at: string }> = [];
  /** Identities of finished scenarios: a late report about them is a stray, not this scenario's. */
  private readonly retired = new Set<string>();

  constructor(
    private readonly validator: MessageValidator,
    private readonly host: string,
    private readonly port: number,
    private readonly advertisedHost?: string,
  ) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, this.host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    const host = this.advertisedHost ?? this.host;
    this.base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  get baseUrl(): string {
    return this.base;
  }

  addSp(spId: string, party: Party): string {
    this.sps.set(spId, party);
    return this.spUri(spId);
  }

  spUri(spId: string): string {
    return `${this.base}/sps/${encodeURIComponent(spId)}`;
  }

  clientUri(scenarioId: string, deviceKey: string): string {
    return `${this.base}/clients/${scenarioId}/${encodeURIComponent(deviceKey)}`;
  }

  attach(route: ScenarioRoute): void {
    this.scenario = route;
  }

  detach(): void {
    for (const id of this.scenario?.identities() ?? []) this.retired.add(id);
    if (this.retired.size > RETIRED_LIMIT) {
      const drop = [...this.retired].slice(0, this.retired.size - RETIRED_LIMIT);
      for (const id of drop) this.retired.delete(id);
    }
    this.scenario = null;
  }

  /**
   * SPs outlive scenarios, and a retry of an earlier scenario's report may arrive late: a
   * message naming only identities of finished scenarios is a stray. Anything else (also
   * junk that names nobody) belongs to the current scenario and is judged there.
   */
  private isLateForEarlierScenario(body: unknown): boolean {
    if (typeof body !== 'object' || body === null) return false;
    const named = (['User-Identity', 'Client-ID', 'Replaces-Client-ID'] as const)
      .flatMap((ie) => {
        const v = (body as Record<string, unknown>)[ie];
        return Array.isArray(v) ? v : [v];
      })
      .filter((v): v is string => typeof v === 'string');
    if (!named.length) return false;
    const current = new Set(this.scenario?.identities() ?? []);
    return named.every((id) => !current.has(id)) && named.some((id) => this.retired.has(id));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const resolved = this.resolve(path);
      const text = Buffer.concat(chunks).toString('utf8');
      if (!resolved) {
        this.strays.push({ path, body: text.slice(0, 2000), at: new Date().toISOString() });
        res.writeHead(404).end();
        return;
      }
      const { party, trace, direction } = resolved;
      if (direction === 'server-to-sp' && this.isLateForEarlierScenario(parseOrText(text))) {
        this.strays.push({ path, body: text.slice(0, 2000), at: new Date().toISOString() });
        res.writeHead(204).end();
        return;
      }
      let body: unknown = text;
      let problems: Problem[] = [];
      if (size > MAX_BODY) {
        problems = [{ code: 'MALFORMED', message: 'message', clause: 'binding', detail: `body of ${size} bytes exceeds ${MAX_BODY}` }];
      } else {
        try {
          body = JSON.parse(text);
          problems = this.validator.check(body, direction).problems;
        } catch {
          problems = [{ code: 'MALFORMED', message: 'message', clause: 'binding', detail: `body is not JSON: ${text.slice(0, 120)}` }];
        }
        const ctype = (req.headers['content-type'] ?? '').split(';')[0].trim();
        if (ctype !== 'application/json') {
          problems.push({ code: 'MALFORMED', message: messageTypeOf(body) ?? 'message', clause: 'binding', detail: `Content-Type is "${ctype}", expected application/json` });
        }
      }
      const headers: Record<string, string> = {};
      const cid = req.headers['dpe-client-id'];
      if (typeof cid === 'string') headers['DPE-Client-ID'] = cid;
      const entry = trace.add({
        from: 'DPE Server',
        to: party.name,
        kind: 'notify',
        messageType: messageTypeOf(body) ?? '(unknown)',
        body,
        headers,
        problems,
      });
      const status = party.respond ? party.respond(body) : 204;
      res.writeHead(status).end();
      party.onMessage?.(entry);
    });
  }

  private resolve(path: string): { party: Party; trace: Trace; direction: 'server-to-client' | 'server-to-sp' } | undefined {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const scenario = this.scenario;
    if (parts[0] === 'clients' && parts.length === 3 && scenario && scenario.id === parts[1]) {
      const party = scenario.devices.get(parts[2]);
      if (party) return { party, trace: scenario.trace, direction: 'server-to-client' };
    }
    if (parts[0] === 'sps' && parts.length === 2 && scenario) {
      // SPs outlive scenarios; identities are fresh per scenario, so steps filter by user
      const party = this.sps.get(parts[1]);
      if (party) return { party, trace: scenario.trace, direction: 'server-to-sp' };
    }
    return undefined;
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
