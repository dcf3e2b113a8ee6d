/**
 * dpe-conformance load against the reference server as a separate process (src/cli/reference-
 * process.ts): a short load of a correct server passes with no violation, a faulty variant
 * (no-group-release: device changes without the "*" group release) fails naming it, and
 * mistakes are usage errors. Loopback only; every wait is bounded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startReferenceProcess } from '../../src/cli/reference-process';
import { EXTERNAL_DEFAULT_IXIT } from '../../src/config/ixit';
import { assertRefused, cli, close, listen, tempDir } from './cli-support';
import type { LoadReport } from '../../src/load/report';

const LOAD_DEADLINE_MS = 150_000;

const readReport = (dir: string, runId: string): LoadReport =>
  JSON.parse(readFileSync(join(dir, runId, 'load-report.json'), 'utf8')) as LoadReport;
const context = (r: { stdout: string; stderr: string }) =>
  `\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-2000)}`;

describe('dpe-conformance load', { timeout: 2 * LOAD_DEADLINE_MS }, () => {
  it('against the reference server: 50 devices for 5 s, no violation, exit 0, the figures in the report', async () => {
    const p = await startReferenceProcess(['--log-level', 'error']);
    try {
      const dir = tempDir('dpe-load-');
      const r = await cli(
        ['load', '--target', p.url, '--devices', '50', '--duration', '5', '--seed', '11', '--reports-dir', dir, '--run-id', 'correct'],
        {
          env: { DPE_HOOKS_TOKEN: p.adminToken },
          deadlineMs: LOAD_DEADLINE_MS,
        },
      );
      assert.equal(r.code, 0, `exit code${context(r)}`);
      assert.match(r.stdout, /requests\/s/);
      assert.match(r.stdout, /result: no violation \(exit code 0\)/);
      const report = readReport(dir, 'correct');
      assert.equal(report.verdict, 'pass');
      assert.deepEqual(report.violations, []);
      assert.ok(
        report.invariants.every((i) => i.held),
        JSON.stringify(report.invariants),
      );
      assert.equal(report.workload.devices, 50);
      assert.equal(report.workload.seed, 11);
      assert.ok(report.throughput.requests > 50, `${report.throughput.requests} requests`);
      assert.ok(report.throughput.messagesFromTarget > 0);
      for (const kind of ['new-user-new-device', 'sim-move', 'define-group', 'query', 'all']) {
        assert.ok(report.latencyMs[kind]?.count, `latency of ${kind}: ${JSON.stringify(report.latencyMs)}`);
        assert.ok(report.latencyMs[kind]!.p50 <= report.latencyMs[kind]!.p99);
      }
      assert.ok(report.checkpoints >= report.throughput.requests, 'judged at every action boundary');
      // the harness's own lag is measured and held against the deadline (src/load/headroom.ts)
      const h = report.harness;
      assert.ok(h.delayMs.p50 <= h.delayMs.p99 && h.delayMs.p99 <= h.delayMs.max, JSON.stringify(h));
      assert.equal(h.saturatedAtMs, report.timing.deliveryDeadlineMs);
      assert.ok(h.cpuShare > 0, JSON.stringify(h));
      assert.ok(!report.command.includes(p.adminToken), 'the hooks token is not in the report');
    } finally {
      await p.stop();
    }
  });

  it('against a variant that omits the group release: exit 1, naming the violation and its trace', async () => {
    const p = await startReferenceProcess(['--log-level', 'error'], 20_000, { variant: 'no-group-release' });
    try {
      const dir = tempDir('dpe-load-');
      // a short retry horizon: every cohort waits for the release that never comes for 1.5 s + 2 s, not 11.5 s
      const ixit = join(dir, 'ixit.json');
      writeFileSync(ixit, JSON.stringify({ ...EXTERNAL_DEFAULT_IXIT, timing: { ...EXTERNAL_DEFAULT_IXIT.timing, retryHorizonMs: 2000 } }));
      const r = await cli(
        [
          'load',
          '--target',
          p.url,
          '--ixit',
          ixit,
          '--devices',
          '50',
          '--duration',
          '5',
          '--seed',
          '11',
          '--reports-dir',
          dir,
          '--run-id',
          'faulty',
        ],
        {
          env: { DPE_HOOKS_TOKEN: p.adminToken },
          deadlineMs: LOAD_DEADLINE_MS,
        },
      );
      assert.equal(r.code, 1, `exit code${context(r)}`);
      assert.match(r.stdout, /BROKEN {2}device-state/);
      assert.match(r.stdout, /\[device-state\] dc\.release-groups \(cohort c\d+\): phone \d+\.\d+ received no DPE_Group_Release with "\*"/);
      assert.match(r.stdout, /result: \d+ violation\(s\) \(exit code 1\)/);
      const report = readReport(dir, 'faulty');
      assert.equal(report.verdict, 'fail');
      assert.ok(report.byRequirement['dc.release-groups']!.violations > 0, JSON.stringify(report.byRequirement));
      // only what the variant breaks: the policy release still comes
      assert.equal(report.byRequirement['dc.release-policies'], undefined, JSON.stringify(report.byRequirement));
      const v = report.violations.find((x) => x.requirement === 'dc.release-groups')!;
      const phone = /(phone \d+\.\d+)/.exec(v.message)![1]!;
      assert.ok(
        v.trace?.some((line) => line.includes(`${phone} -> DPE Server: DPE_Registration_Request`)),
        `the trace shows the registration:\n${v.trace?.join('\n')}`,
      );
      assert.ok(
        v.trace?.some((line) => line.includes(`DPE Server -> ${phone}: DPE_Policy_Release`)),
        `and what reached the phone:\n${v.trace?.join('\n')}`,
      );
    } finally {
      await p.stop();
    }
  });

  it('refuses mistakes before contacting anything: exit 2 with the fix, nothing written', async () => {
    const dir = tempDir('dpe-load-');
    const reports = join(dir, 'reports');
    assertRefused(await cli(['load', '--devices', '10', '--reports-dir', reports]), /load needs a target/, reports);
    assertRefused(
      await cli(['load', '--target', 'http://192.0.2.1:7700', '--reports-dir', reports]),
      /192\.0\.2\.1 is not a loopback address/,
      reports,
    );
    assertRefused(
      await cli(['load', '--target', 'http://127.0.0.1:9', '--devices', '0', '--reports-dir', reports]),
      /--devices <n>' argument '0' is invalid\. expected a number of mock devices from 1 to 5000/,
      reports,
      { fixLine: false },
    );
    // a loopback port nothing listens on (just freed): the preflight finds no server there
    const s = createServer();
    const url = await listen(s);
    await close(s);
    const preflight = await cli(['load', '--target', url, '--reports-dir', reports, '--duration', '1']);
    assert.equal(preflight.code, 2, context(preflight));
    assert.match(preflight.stderr, /environment error: POST http:\/\/127\.0\.0\.1:\d+\/dpe-1: ECONNREFUSED/);
    assert.ok(!existsSync(reports), 'nothing written');
  });
});
