/**
 * Support for the hostile-target tests: small misbehaving DPE Servers on loopback, and a runner
 * that starts the conformance suite against one of them by URL (DPE_TARGET) as a child process
 * with a hard timeout (src/harness/suite-process.ts) and reads its verdicts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_IXIT } from '../../src/config/ixit';
import { runSuiteProcess } from '../../src/harness/suite-process';

export const ROOT = resolve(__dirname, '..', '..');

// ---------------------------------------------------------------------------- hostile servers

export type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse, ctx: HostileContext) => void;

export interface HostileContext {
  /** SP Notify-URIs learnt from onboarding through the provisioning endpoint. */
  spUris: string[];
  clientIds: number;
}

export interface HostileServer {
  url: string;
  /** Requests the server received (to tell "it answered nothing" from "it was never asked"). */
  requests: number;
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 (ephemeral port); sockets are destroyed on close, hung or not. */
export async function startHostile(handler: Handler): Promise<HostileServer> {
  const ctx: HostileContext = { spUris: [], clientIds: 0 };
  const sockets = new Set<import('node:net').Socket>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      handler(req, Buffer.concat(chunks).toString('utf8'), res, ctx);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
};

/**
 * A plausible server: answers registrations with a fresh Client ID, queries with null, sets with
 * 204 and onboarding with 201, and does nothing else. `beforeAnswer` runs (and is awaited) before
 * a registration is answered, with the client's Notify-URI and Client ID, to misbehave towards
 * the mocks while the scenario is certainly still listening.
 */
export function plausible(beforeAnswer?: (notifyUri: string, clientId: string, ctx: HostileContext) => Promise<void>): Handler {
  return (req, body, res, ctx) => {
    const path = (req.url ?? '/').split('?')[0];
    let msg: Record<string, unknown> = {};
    try {
      msg = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return json(res, 400, { Error: { Code: 'MALFORMED_JSON', Detail: 'not JSON' } });
    }
    if (path === '/provisioning/service-providers') {
      if (typeof msg['Notify-URI'] === 'string') ctx.spUris.push(msg['Notify-URI']);
      return res.writeHead(201).end();
    }
    if (path === '/dpe-1') {
      const clientId = `hostile-${++ctx.clientIds}`;
      const uri = msg['Notify-URI'];
      const answer = () =>
        json(res, 200, { 'Message-Type': 'DPE_Registration_Response', 'Message-ID': msg['Message-ID'], 'Client-ID': clientId });
      if (beforeAnswer && typeof uri === 'string') void beforeAnswer(uri, clientId, ctx).finally(answer);
      else answer();
      return;
    }
    if (path === '/dpe-2' && msg['Message-Type'] === 'DPE_Client_ID_Query') {
      return json(res, 200, { 'Message-Type': 'DPE_Client_ID_Response', 'Message-ID': msg['Message-ID'], 'Client-ID': null });
    }
    if (path === '/dpe-2') return res.writeHead(204).end();
    return json(res, 404, { Error: { Code: 'NOT_FOUND', Detail: path } });
  };
}

/** POSTs `body` (raw text) to a mock's URI; loopback only, errors ignored (the mock may be gone). */
export async function post(uri: string, body: string, headers: Record<string, string> = {}): Promise<void> {
  const u = new URL(uri);
  if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost' && u.hostname !== '[::1]') return; // loopback only
  await fetch(uri, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(2000),
  })
    .then(
      (r) => r.arrayBuffer(),
      () => undefined,
    )
    .catch(() => undefined);
}

// ---------------------------------------------------------------------------- suite runner

export interface ScenarioVerdict {
  name: string;
  status: string;
  /** Types and messages of failed steps' exceptions (e.g. ConformanceFailure, TargetError). */
  exceptions: Array<{ type: string; message: string }>;
}

export interface SuiteRun {
  /** null when the run was killed at the bound. */
  exitCode: number | null;
  ms: number;
  timedOut: boolean;
  finished: boolean;
  /** Problems outside scenarios: an exception ending the run, a failed BeforeAll/AfterAll hook. */
  runException?: string;
  scenarios: ScenarioVerdict[];
  output: string;
}

export interface SuiteOptions {
  target: string;
  tags?: string;
  boundMs: number;
  onboard?: boolean;
  deliveryDeadlineMs?: number;
}

/** Runs the suite against `target` with a fast IXIT; kills it (whole process group) at the bound. */
export async function runSuite(o: SuiteOptions): Promise<SuiteRun> {
  const r = await runSuiteProcess({
    profile: 'per-user-and-device',
    env: { DPE_TARGET: o.target },
    ixit: {
      ...DEFAULT_IXIT,
      onboardThroughProvisioning: o.onboard ?? false,
      timing: { deliveryDeadlineMs: o.deliveryDeadlineMs ?? 400, quietPeriodMs: 60 },
    },
    tags: o.tags,
    timeoutMs: o.boundMs,
  });
  return {
    exitCode: r.exitCode,
    ms: r.ms,
    timedOut: r.timedOut,
    finished: r.run.finished !== undefined,
    runException: r.run.runProblems.length ? r.run.runProblems.join('; ') : undefined,
    scenarios: r.run.scenarios.map((s) => ({ name: s.name, status: s.worstStatus, exceptions: s.failures })),
    output: r.output,
  };
}

/** Exception types a step may legitimately fail with: verdicts on the target, not harness bugs. */
export const VERDICT_EXCEPTIONS = new Set(['ConformanceFailure', 'SetupFailure', 'TargetError', 'EnvironmentError']);
