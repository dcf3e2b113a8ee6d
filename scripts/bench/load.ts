/**
 * The load generator of the bench: autocannon (a pinned devDependency), typed for what the
 * bench uses. Every run verifies its answers (status and, where it is fixed, the body): a run
 * with errors, non-2xx answers or mismatched bodies is refused rather than reported as a rate.
 */
import { request } from 'node:http';

interface AutocannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
}

interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p99: number;
  p97_5: number;
  max: number;
  total?: number;
}

interface AutocannonResult {
  requests: Histogram & { total: number; sent: number };
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
}

type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface LoadResult {
  /** Answers per second over the run. */
  perSecond: number;
  total: number;
  p50Ms: number;
  p99Ms: number;
  durationS: number;
}

export interface LoadOptions {
  url: string;
  body?: string;
  /** Every answer must be exactly this body. */
  expectBody?: string;
  /** A new body for each request (e.g. a new device each time). */
  nextBody?: () => string;
  connections: number;
  durationS: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** One autocannon run; throws when any answer was not the expected one. */
export async function load(o: LoadOptions): Promise<LoadResult> {
  const requests: AutocannonRequest[] | undefined = o.nextBody
    ? [{ method: 'POST', headers: JSON_HEADERS, setupRequest: (req) => ({ ...req, body: o.nextBody!() }) }]
    : undefined;
  const r = await autocannon({
    url: o.url,
    method: 'POST',
    headers: JSON_HEADERS,
    connections: o.connections,
    duration: o.durationS,
    ...(o.body !== undefined ? { body: o.body } : {}),
    ...(o.expectBody !== undefined ? { expectBody: o.expectBody } : {}),
    ...(requests ? { requests } : {}),
  });
  const bad = r.errors + r.non2xx + r.mismatches;
  if (bad > 0 || r.requests.total === 0) {
    throw new Error(
      `load on ${o.url}: ${r.requests.total} answers, ${r.errors} errors (${r.timeouts} timeouts), ${r.non2xx} non-2xx, ${r.mismatches} unexpected bodies`,
    );
  }
  return {
    perSecond: r.requests.total / r.duration,
    total: r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    durationS: r.duration,
  };
}

/** One POST with a JSON body on loopback; resolves with the status and the parsed answer. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolvePromise, reject) => {
    const text = JSON.stringify(body);
    const req = request(
      url,
      { method: 'POST', headers: { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(text)), ...headers } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = data ? JSON.parse(data) : undefined;
          } catch {
            parsed = data;
          }
          resolvePromise({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.on('error', reject);
    req.end(text);
  });
}

/** GET with a JSON answer on loopback. */
export function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => {
        try {
          resolvePromise(JSON.parse(data));
        } catch (e) {
          reject(new Error(`GET ${url}: not JSON (${(e as Error).message})`));
        }
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** A DPE_Registration_Request (binding) as JSON text. */
export function registrationBody(user: string, device: string, notifyUri: string, messageId: string): string {
  return JSON.stringify({
    'Message-Type': 'DPE_Registration_Request',
    'Message-ID': messageId,
    'User-Identity': user,
    'Device-Identity': device,
    'Notify-URI': notifyUri,
  });
}

/** The i-th bench user and device: a tel: user (one device at a time) and a 15-digit IMEI-like identity. */
export function benchIdentity(i: number, prefix = 1): { user: string; device: string } {
  const n = String(i).padStart(9, '0');
  return { user: `tel:+${prefix}555${n}`, device: `35${prefix}${n}000`.slice(0, 15) };
}
