import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { DpeServer, ServerOptions } from '../../../src/server/app';
import { buildServer } from '../../../src/server/app';
import { MessageValidator } from '../../../src/catalog/validate';
import type { ClientIdPolicy } from '../../../src/config/ics';

export const DEADLINE_MS = 2000;

export interface Received {
  seq: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A loopback HTTP receiver standing in for client and SP Notify-URIs; answers 204. */
export class Receiver {
  readonly got: Received[] = [];
  private waiters: Array<() => void> = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      this.got.push({ seq: this.got.length + 1, path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : {} });
      res.writeHead(204).end();
      for (const w of this.waiters.splice(0)) w();
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.got.filter((g) => g.path === path);
  }

  /** Resolves with the first `count` messages to `path` once they arrived; rejects at the deadline. */
  waitFor(path: string, count: number, deadlineMs = DEADLINE_MS): Promise<Received[]> {
    return this.waitMatch((g) => g.path === path, count, `at ${path}`, deadlineMs);
  }

  async waitMatch(match: (g: Received) => boolean, count: number, what: string, deadlineMs = DEADLINE_MS): Promise<Received[]> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const got = this.got.filter(match);
      if (got.length >= count) return got.slice(0, count);
      const left = end - Date.now();
      if (left <= 0) {
        throw new Error(`expected ${count} message(s) ${what} within ${deadlineMs} ms, got ${JSON.stringify(got.map((g) => g.body))}`);
      }
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export const rx = new Receiver();
export const SP = { spId: 'sp-a', token: 'token-a-0001', path: '/sp/a' };
export const clientValidator = new MessageValidator();

let seq = 0;
export const fresh = () => `${process.pid}${String(++seq).padStart(4, '0')}`;
export const msisdn = () => `tel:+1555${fresh()}`;
export const sipUri = () => `sip:user${fresh()}@example.invalid`;
export const imei = () => `35${fresh()}`.padEnd(15, '0');

/** A plain-data deep copy of the server state, for before/after comparison. */
export function snap(v: unknown): unknown {
  if (v instanceof Map) return [...v].map(([k, x]) => [snap(k), snap(x)]);
  if (v instanceof Set) return [...v].map(snap);
  if (Array.isArray(v)) return v.map(snap);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snap(x)]));
  return v;
}

export async function startServer(o: Partial<ServerOptions> & { policy: ClientIdPolicy }): Promise<DpeServer> {
  const dpe = buildServer({
    serviceProviders: [{ spId: SP.spId, token: SP.token, notifyUri: rx.url + SP.path }],
    delivery: { retryBackoffMs: 5, maxAttempts: 3 },
    ...o,
  });
  // listening first keeps supertest on this loopback address instead of its own 0.0.0.0 listener
  await dpe.listen(0, '127.0.0.1');
  return dpe;
}

export interface Reg {
  user?: string;
  device?: string;
  headers?: Record<string, string>;
  messageId?: string;
  notifyPath?: string;
}

export function registration(r: Reg): Record<string, unknown> {
  return {
    'Message-Type': 'DPE_Registration_Request',
    'Message-ID': r.messageId ?? `m-${fresh()}`,
    ...(r.user ? { 'User-Identity': r.user } : {}),
    ...(r.device ? { 'Device-Identity': r.device } : {}),
    'Notify-URI': rx.url + (r.notifyPath ?? `/dev/${r.device ?? 'net'}`),
  };
}

export async function register(dpe: DpeServer, r: Reg): Promise<string> {
  const res = await request(dpe.server)
    .post('/dpe-1')
    .set(r.headers ?? {})
    .send(registration(r))
    .expect(200);
  assert.equal(typeof res.body['Client-ID'], 'string');
  return res.body['Client-ID'] as string;
}

export async function query(dpe: DpeServer, user: string, token = SP.token): Promise<unknown> {
  const res = await request(dpe.server)
    .post('/dpe-2')
    .set('authorization', `Bearer ${token}`)
    .send({ 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 42, 'Query-Key': user })
    .expect(200);
  assert.equal(res.body['Message-Type'], 'DPE_Client_ID_Response');
  assert.equal(res.body['Message-ID'], 42);
  return res.body['Client-ID'];
}

export async function define(dpe: DpeServer, body: Record<string, unknown>): Promise<void> {
  await request(dpe.server).post('/dpe-2').set('authorization', `Bearer ${SP.token}`).send(body).expect(204);
}

export function assertError(res: request.Response, status: number, code: string, ie: string | undefined, detail: RegExp): void {
  assert.equal(res.status, status, `HTTP status (body ${JSON.stringify(res.body)})`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.deepEqual(Object.keys(res.body), ['Error']);
  const e = res.body.Error as Record<string, unknown>;
  assert.equal(e.Code, code);
  assert.equal(e.IE, ie);
  assert.match(String(e.Detail), detail);
}
