/**
 * The reference DPE Server as a separate OS process (src/server/main.ts), for runs by URL:
 * started on an ephemeral loopback port, ready when it prints "listening on <URL>". Its test
 * hooks are on, behind a fresh random admin token (given through the environment, never on the
 * command line); a run reaches them with `dpe-conformance run --hooks-token <adminToken>`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const READY = /listening on (https?:\/\/[^\s)]+)/;

export interface ReferenceProcess {
  url: string;
  /** Bearer token of its test hooks. */
  adminToken: string;
  child: ChildProcess;
  /** Output of the process so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface ReferenceProcessOptions {
  /**
   * A variant of src/server/variants instead of the reference server (a faulty one, for tests
   * that must see a verdict fail), started by scripts/bench/variant-server.ts: the shipped
   * standalone server builds no variant.
   */
  variant?: string;
}

export function startReferenceProcess(args: string[] = [], deadlineMs = 15_000, o: ReferenceProcessOptions = {}): Promise<ReferenceProcess> {
  const adminToken = randomBytes(24).toString('base64url');
  const entry = o.variant ? 'scripts/bench/variant-server.ts' : 'src/server/main.ts';
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', entry, '--host', '127.0.0.1', '--port', '0', '--test-hooks', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DPE_ADMIN_TOKEN: adminToken, DPE_LOG_LEVEL: process.env.DPE_LOG_LEVEL ?? 'warn', ...(o.variant ? { DPE_VARIANT: o.variant } : {}) },
    },
  );
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the reference server printed no "listening on" line within ${deadlineMs} ms:\n${out}`));
    }, deadlineMs);
    const onData = (c: Buffer) => {
      out += c.toString();
      const url = READY.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolvePromise({ url, adminToken, child, output: () => out, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the reference server exited (${signal ?? code}) before it listened:\n${out}`));
    });
  });
}
