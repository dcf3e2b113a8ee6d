/**
 * Starts the independent implementation (test/independent/, written from docs/ and the CR alone)
 * as its own OS process on an ephemeral loopback port, so the suite reaches it only by URL, as it
 * reaches a vendor's server. It runs compiled once (src/harness/compiled-code.ts): the mutation run
 * starts it some sixty times, and ts-node would transpile it again in every one.
 */
import { join, resolve } from 'node:path';
import type { ClientIdPolicy } from '../src/config/ics';
import { compiledTree } from '../src/harness/compiled-code';
import { startListening } from '../src/process/listening-process';

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
  return startListening({ name: 'the independent server', args, cwd: ROOT, deadlineMs: START_TIMEOUT_MS, killAfterMs: 3_000 });
}
