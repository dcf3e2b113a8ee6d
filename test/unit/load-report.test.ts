/**
 * The load report (src/load/report.ts): figures, invariants, and every violation with the
 * messages of the identities it involves — including the registration of another user that took
 * the named user's device over.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { referenceIcs } from '../../src/config/ics';
import { EXTERNAL_DEFAULT_IXIT } from '../../src/config/ixit';
import { checkHistory } from '../../src/load/invariants';
import { buildReport, formatReport, TIMING_INVARIANTS } from '../../src/load/report';
import type { LoadResult } from '../../src/load/run-load';
import { LoadStats } from '../../src/load/stats';
import { ALICE, BOB, HistoryBuilder } from './support/load-history';

const ics = referenceIcs('per-user-and-device');

const HEADROOM: LoadResult['headroom'] = {
  delayMs: { p50: 1, p99: 12, max: 40 },
  cpuShare: 0.4,
  laggingAtMs: 375,
  laggingSeconds: 0,
  saturatedAtMs: 1500,
  saturated: false,
};
const SATURATED: LoadResult['headroom'] = { ...HEADROOM, delayMs: { p50: 60, p99: 900, max: 2400 }, laggingSeconds: 7, saturated: true };

function result(b: HistoryBuilder, headroom = HEADROOM): LoadResult {
  const history = b.history();
  const stats = new LoadStats(1500);
  stats.answered('sim-move', 12, 200);
  stats.answered('query', 30, 200);
  stats.arrived(1800, 'report');
  return {
    history,
    verdict: checkHistory(history, ics),
    stats,
    cohorts: 2,
    stopped: [],
    startedAt: new Date(0),
    loadMs: 2000,
    drainMs: 100,
    checkMs: 5,
    boundMs: 11_500,
    headroom,
  };
}

const meta = {
  runId: 'r1',
  command: 'npx dpe-conformance load --target http://127.0.0.1:7700',
  target: 'http://127.0.0.1:7700',
  ics,
  ixit: EXTERNAL_DEFAULT_IXIT,
  devices: 4,
  durationS: 2,
  seed: 42,
  concurrency: 8,
};

describe('the load report', () => {
  it('a run without violation: the figures, every invariant held, exit code 0', () => {
    const b = new HistoryBuilder().register('phone A', ALICE, 'a1').releases('phone A');
    const r = buildReport(result(b), meta);
    assert.equal(r.verdict, 'pass');
    assert.equal(r.exitCode, 0);
    assert.equal(r.throughput.requests, 2);
    assert.equal(r.throughput.requestsPerSecond, 1);
    assert.equal(r.throughput.messagesFromTarget, 2);
    assert.deepEqual(Object.keys(r.latencyMs), ['query', 'sim-move', 'all']);
    assert.equal(r.delivery.afterDeadline, 1);
    assert.deepEqual(r.delivery.byKind, { report: { arrived: 1, late: 1, latestMs: 1800 } });
    assert.ok(r.invariants.every((i) => i.held));
    const text = formatReport(r, '/tmp/x/load-report.json');
    assert.match(text, /throughput: 2 requests in 2 s = 1 requests\/s/);
    assert.match(text, /sim-move\s+1\s+12\s+12\s+12\s+12/);
    assert.match(text, /result: no violation \(exit code 0\)/);
    assert.match(text, /harness: event-loop delay p50 1 \/ p99 12 \/ max 40 ms, CPU 40% of one core; within its headroom/);
  });

  it('a violation comes with the messages of the identities it names, up to where it was found', () => {
    const b = new HistoryBuilder().query('maps', ALICE, null);
    b.register('phone A', ALICE, 'a1').releases('phone A').report('maps', ALICE, ['a1']);
    // Bob's SIM goes into phone A: Alice has no Client ID any more, and the maps SP is not told
    b.register('phone A', BOB, 'a2').releases('phone A');
    b.register('phone Z', 'tel:+15550000009', 'z1').releases('phone Z');
    const r = buildReport(result(b), meta);
    assert.equal(r.verdict, 'fail');
    assert.equal(r.exitCode, 1);
    const v = r.violations.find((x) => x.invariant === 'client-id-reports');
    assert.ok(v, JSON.stringify(r.violations, null, 1));
    assert.match(v.message, /Alice/);
    const trace = v.trace!.join('\n');
    assert.match(trace, /maps provider -> DPE Server: DPE_Client_ID_Query/);
    assert.match(
      trace,
      /phone A -> DPE Server: DPE_Registration_Request .*\+15550000002/,
      "the registration that took Alice's device over",
    );
    assert.doesNotMatch(trace, /phone Z/, 'nothing of another cohort');
    assert.ok(r.byRequirement[v.requirement!]!.violations >= 1);
    const text = formatReport(r, '/tmp/x/load-report.json');
    assert.match(text, /BROKEN {2}client-id-reports/);
    assert.match(text, /violations by requirement: /);
    assert.match(text, /1\. \[client-id-reports\]/);
    assert.match(text, /result: \d+ violation\(s\) \(exit code 1\); report: \/tmp\/x\/load-report\.json/);
  });

  // Alice's SP is never told: a finding about what arrived in time, which a harness that answered late could cause
  const unreported = () =>
    new HistoryBuilder()
      .query('maps', ALICE, null)
      .register('phone A', ALICE, 'a1')
      .releases('phone A')
      .register('phone A', BOB, 'a2')
      .releases('phone A');

  it('a saturated harness makes violations about what arrived in time inconclusive (exit code 2), with the fix', () => {
    const r = buildReport(result(unreported(), SATURATED), meta);
    assert.ok(r.violations.length > 0);
    assert.ok(
      r.violations.every((v) => TIMING_INVARIANTS.has(v.invariant)),
      JSON.stringify(r.violations),
    );
    assert.equal(r.verdict, 'inconclusive');
    assert.equal(r.exitCode, 2);
    const text = formatReport(r, '/tmp/x/load-report.json');
    assert.match(text, /SATURATED: its answers lagged past the 1500 ms delivery deadline/);
    assert.match(
      text,
      /result: inconclusive \(exit code 2\): \d+ violation\(s\), each about what arrived in time, .*lagged up to 2400 ms.*fewer --devices/,
    );
  });

  it('a violation no lateness can cause still fails a saturated run (exit code 1)', () => {
    // a Client ID handed to two devices at once: uniqueness, whatever the timing
    const b = unreported().register('phone B', 'tel:+15550000009', 'a2').releases('phone B');
    const r = buildReport(result(b, SATURATED), meta);
    assert.ok(
      r.violations.some((v) => v.invariant === 'client-id-unique'),
      JSON.stringify(r.violations),
    );
    assert.equal(r.verdict, 'fail');
    assert.equal(r.exitCode, 1);
  });

  it('the same violations fail a run whose harness only lagged (exit code 1): the late counts say so', () => {
    const lagging = { ...HEADROOM, delayMs: { p50: 20, p99: 300, max: 700 }, laggingSeconds: 3 };
    const r = buildReport(result(unreported(), lagging), meta);
    assert.equal(r.verdict, 'fail');
    assert.equal(r.exitCode, 1);
    assert.match(
      formatReport(r, '/tmp/x/load-report.json'),
      /lagging: past 375 ms \(a quarter of the delivery deadline\) in 3 s of the run/,
    );
  });
});
