/**
 * The harness as a Docker image (scripts/build-image.sh --harness, built from a rootfs like the
 * reference image, nothing pulled): `docker run --network host dpe-conformance:local run
 * --target <the reference server's container>` certifies it. Without a Docker engine the test
 * is skipped with the reason, except under CI=true, where a missing engine fails it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startContainerTarget } from '../../src/harness/container-target';
import { requireDocker } from './docker-support';
import { ROOT } from './cli-support';

const REFERENCE = process.env.DPE_IMAGE ?? 'dpe-reference:local';
const HARNESS = process.env.DPE_HARNESS_IMAGE ?? 'dpe-conformance:local';
const BUILD_TIMEOUT_MS = 240_000;
const RUN_TIMEOUT_MS = 120_000;

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: ROOT, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      done({ code, out: `${stdout}${stderr}` });
    });
  });
}

describe('the harness image', { timeout: 2 * BUILD_TIMEOUT_MS + 2 * RUN_TIMEOUT_MS }, () => {
  it('docker run --network host dpe-conformance run --target <reference container> certifies it', async (t) => {
    if (!(await requireDocker(t))) return;
    for (const args of [[REFERENCE], ['--harness', HARNESS]]) {
      const b = await run('bash', [join(ROOT, 'scripts/build-image.sh'), ...args], BUILD_TIMEOUT_MS);
      assert.equal(b.code, 0, `scripts/build-image.sh ${args.join(' ')} failed:\n${b.out}`);
    }
    const version = await run('docker', ['run', '--rm', '--network', 'host', HARNESS, '--version'], RUN_TIMEOUT_MS);
    assert.equal(version.code, 0, version.out);
    assert.match(version.out, /^dpe-conformance \d+\.\d+\.\d+ \(commit [0-9a-f]{7,}/m);
    // the reference server's test hooks are off unless switched on, then behind an admin token (docs/security.md)
    const adminToken = `admin-${process.pid}-${Date.now()}`;
    const target = await startContainerTarget(REFERENCE, {
      args: ['--policy', 'per-user-and-device', '--test-hooks', '--admin-token', adminToken],
      startupTimeoutMs: 20_000,
    });
    try {
      const r = await run(
        'docker',
        [
          'run',
          '--rm',
          '--network',
          'host',
          HARNESS,
          'run',
          '--target',
          target.url,
          '--hooks-token',
          adminToken,
          '--ics',
          '/app/docs/examples/ics.json',
          '--ixit',
          '/app/docs/examples/ixit.json',
        ],
        RUN_TIMEOUT_MS,
      );
      assert.equal(r.code, 0, `${r.out.slice(-3000)}\n--- target ---\n${(await target.logs()).slice(-2000)}`);
      assert.match(r.out, /PASS — certification pass \(exit code 0\)/);
    } finally {
      await target.stop();
    }
  });
});
