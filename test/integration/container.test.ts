/**
 * The conformance suite against the reference server started from its Docker image through
 * testcontainers (host network, loopback only), by URL as any external implementation is.
 * Without a Docker engine the tests are skipped with the reason, except under CI=true, where
 * a missing engine fails them: CI must prove the container path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Ixit } from '../../src/config/ixit';
import { DEFAULT_IXIT } from '../../src/config/ixit';
import type { ContainerTarget } from '../../src/harness/container-target';
import { startContainerTarget } from '../../src/harness/container-target';
import { freeLoopbackPort } from '../../src/process/loopback-port';
import type { SuiteProcessResult } from '../../src/harness/suite-process';
import { runSuiteProcess } from '../../src/harness/suite-process';
import { startHooksGateway } from '../../src/cli/hooks-gateway';
import { requireDocker } from './docker-support';
import type { RunRead } from '../../src/report/run-reader';

const ROOT = resolve(__dirname, '../..');
const IMAGE = process.env.DPE_IMAGE ?? 'dpe-reference:local';
const BUILD_TIMEOUT_MS = 180_000;
const SUITE_TIMEOUT_MS = 180_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command (the image build) to its end or its deadline (then kills it); never throws. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: ROOT, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals }) | null;
      done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, output: `${stdout}${stderr}` });
    });
  });
}

interface Outcome {
  passed: number;
  failed: string[];
  total: number;
}

const BAD = new Set(['FAILED', 'UNDEFINED', 'AMBIGUOUS', 'PENDING']);

/** Scenario outcomes of a finished run: passed = every step passed; undefined when the run did not finish. */
function outcomes(run: RunRead): Outcome | undefined {
  if (!run.finished) return undefined;
  return {
    total: run.scenarios.length,
    passed: run.scenarios.filter((s) => s.worstStatus === 'PASSED').length,
    failed: run.scenarios.filter((s) => BAD.has(s.worstStatus)).map((s) => s.name),
  };
}

/** Runs one cucumber profile against `url` with `ixit` (src/harness/suite-process.ts: reports/ is never overwritten). */
async function runSuite(profile: string, url: string, ixit: Ixit): Promise<SuiteProcessResult> {
  return runSuiteProcess({ profile, env: { DPE_TARGET: url }, ixit, timeoutMs: SUITE_TIMEOUT_MS });
}

function assertSuitePassed(what: string, r: SuiteProcessResult, logs: string): void {
  const context = `\n--- cucumber ---\n${r.output.slice(-4000)}\n--- container logs ---\n${logs.slice(-4000)}`;
  const outcome = outcomes(r.run);
  assert.ok(
    outcome,
    `${what}: the run did not finish (no testRunFinished message)${r.timedOut ? ', killed at the deadline' : ''}${context}`,
  );
  assert.deepEqual(outcome.failed, [], `${what}: scenarios failed${context}`);
  assert.equal(r.exitCode, 0, `${what}: cucumber exited with ${r.exitCode ?? r.signal}${context}`);
  assert.ok(outcome.passed > 0, `${what}: no scenario passed (${outcome.total} ran)${context}`);
}

describe('the suite against the reference server in a container (testcontainers)', {
  timeout: BUILD_TIMEOUT_MS + 3 * SUITE_TIMEOUT_MS,
}, () => {
  let imageReady: Promise<Run> | undefined;
  const image = (): Promise<Run> =>
    (imageReady ??= run('bash', [join(ROOT, 'scripts/build-image.sh'), IMAGE], process.env, BUILD_TIMEOUT_MS));

  async function withTarget(args: string[], body: (t: ContainerTarget) => Promise<void>): Promise<void> {
    const b = await image();
    assert.equal(b.code, 0, `scripts/build-image.sh failed:\n${b.output}`);
    const target = await startContainerTarget(IMAGE, { args, startupTimeoutMs: 20_000 });
    try {
      await body(target);
    } finally {
      await target.stop();
    }
  }

  it('passes with the SPs onboarded through the provisioning endpoint (per-user-and-device)', async (t) => {
    if (!(await requireDocker(t))) return;
    // the test hooks are off unless switched on, and then behind the admin token (docs/security.md)
    const adminToken = `admin-${process.pid}-${Date.now()}`;
    await withTarget(['--policy', 'per-user-and-device', '--test-hooks', '--admin-token', adminToken], async (target) => {
      assert.match(target.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const gateway = await startHooksGateway(target.url, adminToken);
      const r = await runSuite('per-user-and-device', gateway.url, { ...DEFAULT_IXIT, onboardThroughProvisioning: true }).finally(() =>
        gateway.close(),
      );
      const logs = await target.logs();
      assert.match(logs, /DPE reference server listening on http:\/\/127\.0\.0\.1:\d+ \(policy per-user-and-device, 0 SP/);
      assertSuitePassed('per-user-and-device, provisioning', r, logs);
    });
  });

  it('passes with the SPs given to the container on its command line (per-device)', async (t) => {
    if (!(await requireDocker(t))) return;
    // the mock network needs a known port so that the Notify-URIs can be given before the run
    const mockPort = await freeLoopbackPort();
    const ixit: Ixit = { ...DEFAULT_IXIT, mockPort, onboardThroughProvisioning: false };
    const sps = ixit.serviceProviders.flatMap((sp) => [
      '--sp',
      `${sp.spId},${sp.token},http://127.0.0.1:${mockPort}/sps/${encodeURIComponent(sp.spId)}`,
    ]);
    // the SPs are static; registration triggers (a test hook) still need --test-hooks and the admin token
    const adminToken = `admin-${process.pid}-${Date.now()}`;
    await withTarget(['--policy', 'per-device', '--test-hooks', '--admin-token', adminToken, ...sps], async (target) => {
      const gateway = await startHooksGateway(target.url, adminToken);
      const r = await runSuite('per-device', gateway.url, ixit).finally(() => gateway.close());
      const logs = await target.logs();
      assert.match(logs, new RegExp(`listening on .*policy per-device, ${ixit.serviceProviders.length} SP\\(s\\) onboarded`));
      assertSuitePassed('per-device, static SPs', r, logs);
    });
  });

  it('never pulls: an image missing locally is an error that says how to build it', async (t) => {
    if (!(await requireDocker(t))) return;
    await assert.rejects(
      startContainerTarget('dpe-reference-missing:never-built', { startupTimeoutMs: 5_000 }),
      /not in the local Docker engine and is never pulled/,
    );
  });

  it('a server that exits at start is reported with its own output, within the startup timeout', async (t) => {
    if (!(await requireDocker(t))) return;
    assert.equal((await image()).code, 0, 'scripts/build-image.sh failed');
    const started = Date.now();
    await assert.rejects(
      startContainerTarget(IMAGE, { args: ['--policy', 'no-such-policy'], startupTimeoutMs: 5_000 }),
      /no-such-policy.*is invalid/s,
    );
    assert.ok(Date.now() - started < 5_000 + 10_000, 'the failed start was not bounded by the startup timeout');
  });
});
