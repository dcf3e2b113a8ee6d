/**
 * Support for the probe tests (bad input, slow clients, delivery faults, security, races): a
 * loopback sink that plays clients and SPs, event-driven waits with deadlines, raw HTTP
 * requests, and a reference server with a captured pino log. Loopback (127.0.0.1) only.
 */
import http from 'node:http';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { DpeServer, ServerOptions } from '../../../src/server/app';
import { buildServer } from '../../../src/server/app';

export interface Received {
  path: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  at: number;
}

/** How the sink answers one request: a status, or "hang" (never answers), or "reset" (drops the connection). */
export type Behaviour = number | 'hang' | 'reset';

/** A loopback HTTP endpoint standing for devices and SPs; every accepted message is recorded. */
export class Sink extends EventEmitter {
  readonly received: Received[] = [];
  /** Per path prefix: how to answer (default 204). */
  readonly behaviour = new Map<string, (r: Received) => Behaviour>();
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          /* recorded as {} */
        }
        const r: Received = { path, body, headers: req.headers, at: Date.now() };
        const rule = [...this.behaviour].find(([prefix]) => path.startsWith(prefix))?.[1];
        const b = rule ? rule(r) : 204;
        if (b === 'hang') return this.emit('hung', r);
        if (b === 'reset') return req.socket.destroy();
        res.writeHead(b).end();
        if (b >= 200 && b < 300) {
          this.received.push(r);
          this.emit('message', r);
        } else this.emit('refused', r);
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  on_(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Resolves with the first recorded message (past or future) matching `pred`; rejects after `ms`. */
  waitFor(pred: (r: Received) => boolean, ms: number, what = 'a message'): Promise<Received> {
    const seen = this.received.find(pred);
    if (seen) return Promise.resolve(seen);
    return until(this, 'message', pred, ms, `the sink received no ${what}`);
  }
}

/** Resolves when `emitter` emits `event` with an argument matching `pred`; rejects after `ms`. */
export function until<T>(emitter: EventEmitter, event: string, pred: (x: T) => boolean, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`${what} within ${ms} ms`));
    }, ms);
    const on = (x: T) => {
      if (!pred(x)) return;
      clearTimeout(timer);
      emitter.off(event, on);
      resolve(x);
    };
    emitter.on(event, on);
  });
}

/** A pino logger whose JSON lines are kept (and emitted as "line") instead of printed. */
export function captureLog(): { logger: pino.Logger; lines: Array<Record<string, unknown>>; events: EventEmitter } {
  const lines: Array<Record<string, unknown>> = [];
  const events = new EventEmitter();
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const o = JSON.parse(l) as Record<string, unknown>;
        lines.push(o);
        events.emit('line', o);
      }
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines, events };
}

export async function startDpe(o: ServerOptions): Promise<{ dpe: DpeServer; url: string }> {
  const dpe = buildServer(o);
  const url = await dpe.listen(0, '127.0.0.1');
  return { dpe, url };
}

export interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/** POSTs JSON (or raw bytes) and reads the answer; `ms` bounds the whole exchange. */
export async function post(
  base: string,
  path: string,
  body: unknown,
  o: { token?: string; raw?: Buffer | string; contentType?: string; headers?: Record<string, string>; ms?: number } = {},
): Promise<Answer> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: {
      'content-type': o.contentType ?? 'application/json',
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...o.headers,
    },
    body: o.raw ?? JSON.stringify(body),
    signal: AbortSignal.timeout(o.ms ?? 5_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

let seq = 0;
const tag = `${process.pid % 100000}${Date.now() % 100000}`;
export const fresh = () => `${tag}${String(++seq).padStart(5, '0')}`;
export const msisdn = () => `tel:+1555${fresh()}`;
export const imei = () => `35${fresh()}`.padEnd(15, '0').slice(0, 17);

export function registration(
  user: string | undefined,
  device: string,
  notifyUri: string,
  messageId = `m-${fresh()}`,
): Record<string, unknown> {
  return {
    'Message-Type': 'DPE_Registration_Request',
    'Message-ID': messageId,
    ...(user ? { 'User-Identity': user } : {}),
    'Device-Identity': device,
    'Notify-URI': notifyUri,
  };
}

export const query = (user: string, id = 1) => ({ 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': id, 'Query-Key': user });
export const groupSet = (user: string, groupId: string, props = ['battery']) => ({
  'Message-Type': 'DPE_Group_Set',
  'Message-ID': 7,
  'User-Identity': user,
  'Group-ID': groupId,
  Properties: props,
});

/** Rejects when `p` has not settled within `ms` (a bound on a test step, never a sleep). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
