/**
 * Starts the independent implementation (test/independent/, written from docs/ and the CR alone)
 * as its own OS process on an ephemeral loopback port, so the suite reaches it only by URL, as it
 * reaches a vendor's server. It runs compiled once (src/harness/compiled-code.ts): the mutation run
 * starts it some sixty times, and ts-node would transpile it again in every one.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { ClientIdPolicy } from '../src/config/ics';
import { compiledTree } from '../src/harness/compiled-code';

const ROOT = resolve(__dirname, '..');
const START_TIMEOUT_MS = 20_000;

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export function startIndependent(o: { policy: ClientIdPolicy; fault?: string; freedoms: string[] }): Promise<RunningServer> {
  const main = join(compiledTree(ROOT), 'dist', 'test', 'independent', 'main.js');
  const args = [main, '--port', '0', '--host', '127.0.0.1', '--policy', o.policy];
  if (o.fault) args.push('--fault', o.fault);
  for (const f of o.freedoms) args.push('--freedom', f);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`the independent server did not say "listening on" within ${START_TIMEOUT_MS} ms: ${output.slice(-500)}`));
    }, START_TIMEOUT_MS);
    const onData = (c: Buffer) => {
      output += c.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok({ url: m[1]!, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the independent server exited (${code}) before listening: ${output.slice(-500)}`));
    });
  });
}
