/**
 * The reference DPE Server as a separate OS process (src/server/main.ts), for runs by URL:
 * started on an ephemeral loopback port, ready when it prints "listening on <URL>". Its test
 * hooks are on, behind a fresh random admin token (given through the environment, never on the
 * command line); a run reaches them with `dpe-conformance run --hooks-token <adminToken>`.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { ListeningProcess } from '../process/listening-process';
import { startListening } from '../process/listening-process';

const ROOT = resolve(__dirname, '..', '..');

export interface ReferenceProcess extends ListeningProcess {
  /** Bearer token of its test hooks. */
  adminToken: string;
}

export interface ReferenceProcessOptions {
  /**
   * A variant of src/server/variants instead of the reference server (a faulty one, for tests
   * that must see a verdict fail), started by scripts/bench/variant-server.ts: the shipped
   * standalone server builds no variant.
   */
  variant?: string;
}

export async function startReferenceProcess(
  args: string[] = [],
  deadlineMs = 15_000,
  o: ReferenceProcessOptions = {},
): Promise<ReferenceProcess> {
  const adminToken = randomBytes(24).toString('base64url');
  const entry = o.variant ? 'scripts/bench/variant-server.ts' : 'src/server/main.ts';
  const p = await startListening({
    name: o.variant ? `the reference server's variant ${o.variant}` : 'the reference server',
    args: ['-r', 'ts-node/register/transpile-only', entry, '--host', '127.0.0.1', '--port', '0', '--test-hooks', ...args],
    cwd: ROOT,
    env: {
      DPE_ADMIN_TOKEN: adminToken,
      DPE_LOG_LEVEL: process.env.DPE_LOG_LEVEL ?? 'warn',
      ...(o.variant ? { DPE_VARIANT: o.variant } : {}),
    },
    deadlineMs,
  });
  return { ...p, adminToken };
}
