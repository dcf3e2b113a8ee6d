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
import { buildReport, formatReport } from '../../src/load/report';
import type { LoadResult } from '../../src/load/run-load';
import { LoadStats } from '../../src/load/stats';
import { ALICE, BOB, HistoryBuilder } from './support/load-history';

const ics = referenceIcs('per-user-and-device');

function result(b: HistoryBuilder): LoadResult {
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
});
