/**
 * Helpers of the CLI tests: the CLI as a child process (as a user runs it), throwaway HTTP
 * servers, and the check that a refused run left nothing in its reports folder.
 *
 * The CLI runs compiled (the checkout compiled once, laid out as the package is: bin/ beside
 * dist/; src/harness/compiled-code.ts), as an installed package runs it: some sixty CLI runs
 * would otherwise each load ts-node and transpile the CLI again. `sources: true` runs the
 * checkout's own bin/dpe-conformance.js, which loads the TypeScript sources.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compiledTree } from '../../src/harness/compiled-code';

export const ROOT = resolve(__dirname, '../..');
export const CLI = join(ROOT, 'bin/dpe-conformance.js');
export const EXAMPLE_ICS = join(ROOT, 'docs/examples/ics.json');
export const EXAMPLE_IXIT = join(ROOT, 'docs/examples/ixit.json');
/**
 * The example IXIT with a longer delivery deadline, for whole runs against a correct server in
 * this layer: beside the other layers on two cores a starved server's messages may trickle in
 * slower than the example's 1.5 s; a correct server is judged as soon as they arrive, so only a
 * missing message would pay the longer wait.
 */
export function patientIxit(): string {
  const file = join(tempDir('dpe-ixit-'), 'ixit.json');
  const ixit = JSON.parse(readFileSync(EXAMPLE_IXIT, 'utf8')) as { timing: Record<string, unknown> };
  writeFileSync(file, JSON.stringify({ ...ixit, timing: { ...ixit.timing, deliveryDeadlineMs: 5000 } }));
  return file;
}
/** A bound against a hang, not a speed check: a whole suite run through the CLI on a loaded machine takes a while. */
export const RUN_DEADLINE_MS = 180_000;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  deadlineMs?: number;
  /** DPE_* and other variables for the child (the DPE_* of this shell never leak in). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Another entry point (an installed package's bin). */
  command?: string[];
  /** Run the checkout's bin on the TypeScript sources (ts-node) instead of the compiled tree. */
  sources?: boolean;
}

/** The compiled CLI's entry point: the checkout's bin/dpe-conformance.js, copied beside the compiled dist/. */
export const compiledCli = (): string => join(compiledTree(ROOT), 'bin', 'dpe-conformance.js');

/** Runs the CLI to its end (killed at the deadline). */
export function cli(args: string[], o: CliOptions | number = {}): Promise<CliRun> {
  const opts = typeof o === 'number' ? { deadlineMs: o } : o;
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DPE_'))), ...opts.env };
  const [cmd, ...pre] = opts.command ?? [process.execPath, opts.sources ? CLI : compiledCli()];
  if (cmd === undefined) throw new Error('cli: options.command is empty: give the entry point first, e.g. [process.execPath, bin]');
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(cmd, [...pre, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.deadlineMs ?? RUN_DEADLINE_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

export const listen = (s: Server, host = '127.0.0.1') =>
  new Promise<string>((r) => s.listen(0, host, () => r(`http://${host}:${(s.address() as AddressInfo).port}`)));
export const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

/** An HTTP server that answers every request with `status` and a plain-text body. */
export function answering(status: number, body = 'internal error', type = 'text/plain'): Server {
  const s = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': type }).end(body));
  });
  s.keepAliveTimeout = 100;
  return s;
}

export const tempDir = (prefix = 'dpe-cli-'): string => mkdtempSync(join(tmpdir(), prefix));

/** A refused run: exit code 2, the message on stderr, and nothing in the reports folder. */
export function assertRefused(r: CliRun, message: RegExp, reportsDir: string, o: { fixLine?: boolean } = {}): void {
  const context = `\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout.slice(-1500)}`;
  assert.equal(r.code, 2, `exit code${context}`);
  assert.match(r.stderr, message, context);
  // a usage error has its own "fix:" line; a preflight failure says what to check in its one line
  if (o.fixLine ?? true) assert.match(r.stderr, /\n {2}fix: \S/, `the message says how to fix it${context}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `no stack trace${context}`);
  assert.ok(
    !existsSync(reportsDir) || readdirSync(reportsDir).length === 0,
    `nothing written to ${reportsDir}: ${existsSync(reportsDir) ? readdirSync(reportsDir).join(', ') : ''}`,
  );
}

export interface Proxy {
  server: Server;
  /** Requests forwarded so far. */
  forwarded: number;
}

/**
 * A reverse proxy to `to`: only paths under `prefix` are served (the prefix stripped; others
 * 404, as a server behind a base path answers), and after `answerFirst` requests every
 * further connection is reset — a target that stops answering mid-run.
 */
export function proxy(to: string, o: { prefix?: string; answerFirst?: number } = {}): Proxy {
  const prefix = o.prefix ?? '';
  const p: Proxy = { server: undefined as unknown as Server, forwarded: 0 };
  p.server = createServer((req, res) => {
    if (o.answerFirst !== undefined && p.forwarded >= o.answerFirst) {
      req.socket.destroy();
      return;
    }
    const path = req.url ?? '/';
    if (!path.startsWith(`${prefix}/`)) {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no ${path} here`);
      return;
    }
    p.forwarded++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            ([k, v]) => typeof v === 'string' && !['host', 'content-length', 'connection', 'transfer-encoding'].includes(k),
          ),
        ) as Record<string, string>;
        const a = await fetch(new URL(path.slice(prefix.length), to), {
          method: req.method,
          headers,
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await a.arrayBuffer());
        res.writeHead(a.status, { 'content-type': a.headers.get('content-type') ?? 'application/json' }).end(body);
      } catch {
        req.socket.destroy();
      }
    });
  });
  p.server.keepAliveTimeout = 100;
  return p;
}
