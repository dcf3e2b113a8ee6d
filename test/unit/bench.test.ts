/**
 * The pure parts of `npm run bench` (scripts/bench/table.ts, the rows of section e, the mode
 * plans): ratios, goals and their verdicts, capped runs as bounds, the table, and the parsing of
 * what cucumber and the CLI print. No timing is asserted here: the bench itself compares ratios.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Goal } from '../../scripts/bench/table';
import {
  bytes,
  count,
  formatRatio,
  judge,
  parseScenarioSummary,
  percentile,
  perUnit,
  ratio,
  refusalReason,
  renderMarkdown,
  renderTable,
  row,
  unavailable,
} from '../../scripts/bench/table';
import type { ScalePoint } from '../../scripts/bench/scale';
import { scaleTable } from '../../scripts/bench/scale';
import { planFor } from '../../scripts/bench';

const AT_MOST_2: Goal = { op: '<=', bound: 2, source: 'issue 9' };
const AT_LEAST_3: Goal = { op: '>=', bound: 3, source: 'issue 9' };

describe('ratios and goals', () => {
  it('a ratio needs two finite figures and a positive divisor', () => {
    assert.equal(ratio(6, 3), 2);
    assert.equal(ratio(1, 4), 0.25);
    assert.equal(ratio(5, 0), undefined);
    assert.equal(ratio(5, -1), undefined);
    assert.equal(ratio(undefined, 3), undefined);
    assert.equal(ratio(3, undefined), undefined);
    assert.equal(ratio(Number.NaN, 3), undefined);
    assert.equal(ratio(3, Number.POSITIVE_INFINITY), undefined);
  });

  it('judges "at most" and "at least" goals on both sides of the bound', () => {
    assert.equal(judge(1.9, AT_MOST_2), 'met');
    assert.equal(judge(2, AT_MOST_2), 'met');
    assert.equal(judge(2.1, AT_MOST_2), 'missed');
    assert.equal(judge(3.5, AT_LEAST_3), 'met');
    assert.equal(judge(2.9, AT_LEAST_3), 'missed');
    assert.equal(judge(2.9, undefined), 'info');
    assert.equal(judge(undefined, AT_MOST_2), 'not available');
  });

  it('a capped run is a lower bound: it can prove "at least", never "at most"', () => {
    // stopped at 2.5x: the real ratio is larger, so "at most 2" is missed however it is read
    assert.equal(judge(2.5, AT_MOST_2, true), 'missed');
    assert.equal(judge(1.5, AT_MOST_2, true), 'missed');
    // a bound of 4 proves "at least 3"; a bound of 2 proves nothing
    assert.equal(judge(4, AT_LEAST_3, true), 'met');
    assert.equal(judge(2, AT_LEAST_3, true), 'info');
  });

  it('a row takes its status from its ratio and goal unless it states one', () => {
    assert.equal(row({ id: 'x', what: 'w', figures: 'f', ratio: 1.2, goal: AT_MOST_2 }).status, 'met');
    assert.equal(row({ id: 'x', what: 'w', figures: 'f', ratio: 2.6, atLeast: true, goal: AT_MOST_2 }).status, 'missed');
    assert.equal(row({ id: 'x', what: 'w', figures: 'f', status: 'info' }).status, 'info');
  });

  it('a measurement that could not be taken says why, and carries no figure', () => {
    const r = unavailable('c.parallel-4', 'speed-up', '--parallel 4 with an external target: refused', AT_LEAST_3);
    assert.equal(r.status, 'not available');
    assert.equal(r.ratio, undefined);
    assert.equal(r.note, 'not available: --parallel 4 with an external target: refused');
    assert.deepEqual(r.goal, AT_LEAST_3);
  });

  it('per-unit overhead subtracts the floor and never goes negative', () => {
    assert.equal(perUnit(10_000, 2_000, 80), 100);
    assert.equal(perUnit(1_000, 2_000, 10), 0);
    assert.equal(perUnit(1_000, 500, 0), undefined);
  });

  it('percentiles by rank', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(percentile(xs, 50), 5);
    assert.equal(percentile(xs, 99), 10);
    assert.equal(percentile(xs, 0), 1);
    assert.equal(percentile([], 50), undefined);
  });
});

describe('the table', () => {
  it('formats ratios, bounds, sizes and counts', () => {
    assert.equal(formatRatio(row({ id: 'x', what: '', figures: '', ratio: 0.614 })), '0.61×');
    assert.equal(formatRatio(row({ id: 'x', what: '', figures: '', ratio: 12.34 })), '12.3×');
    assert.equal(formatRatio(row({ id: 'x', what: '', figures: '', ratio: 2.5, atLeast: true })), '> 2.50×');
    assert.equal(formatRatio(unavailable('x', '', 'r')), '—');
    assert.equal(bytes(512), '512 B');
    assert.equal(bytes(1536), '1.5 KiB');
    assert.equal(bytes(3 * 1024 ** 3), '3.0 GiB');
    assert.equal(count(1_000_000), '1 M');
    assert.equal(count(10_000), '10 k');
    assert.equal(count(1_234), '1234');
  });

  it('renders one Markdown line per row, with the goal, the status and escaped pipes', () => {
    const rows = [
      row({
        id: 'b.faulty/correct',
        what: 'faulty ÷ correct',
        figures: 'faulty > 40 s | correct 16 s',
        ratio: 2.5,
        atLeast: true,
        goal: AT_MOST_2,
      }),
      unavailable('c.faulty.parallel-4', 'speed-up', 'refused', AT_LEAST_3),
      row({ id: 'e.memory', what: 'bytes', figures: '400 B', status: 'info' }),
    ];
    const lines = renderTable(rows).split('\n');
    assert.equal(lines.length, 2 + rows.length);
    const [header, , faulty, unavailableRow, memory] = lines;
    assert.ok(header && faulty && unavailableRow && memory);
    assert.match(header, /^\| row \| compares \| figures \(this run\) \| ratio \| goal \| status \|$/);
    assert.match(faulty, /^\| b\.faulty\/correct \| .* \| faulty > 40 s \\\| correct 16 s \| > 2\.50× \| ≤ 2× \(issue 9\) \| MISSED \|$/);
    assert.match(unavailableRow, /\| not available: refused \| — \| ≥ 3× \(issue 9\) \| n\/a \|$/);
    assert.match(memory, /^\| e\.memory \| bytes \| 400 B \| — \| {2}\| {2}\|$/);
  });

  it('the report counts goals met, missed and not available', () => {
    const md = renderMarkdown({
      startedAt: '2026-12-01T00:00:00.000Z',
      mode: 'quick',
      durationMs: 31_000,
      machine: { node: '20.20.2', cpus: 2, totalMemBytes: 24 * 1024 ** 3, loadAverage: [1, 2, 3] },
      rows: [
        row({ id: 'a', what: '', figures: '', ratio: 1, goal: AT_MOST_2 }),
        row({ id: 'b', what: '', figures: '', ratio: 3, goal: AT_MOST_2 }),
        unavailable('c', '', 'r'),
      ],
    });
    assert.match(md, /quick mode, 31\.0 s/);
    assert.match(md, /3 rows: 1 goals met, 1 missed, 1 not available\./);
  });
});

describe('what the bench reads from its runs', () => {
  it("parses cucumber's summary line", () => {
    assert.deepEqual(parseScenarioSummary('...\n106 scenarios (15 skipped, 91 passed)\n545 steps (73 skipped, 472 passed)\n'), {
      total: 106,
      byStatus: { skipped: 15, passed: 91 },
    });
    assert.deepEqual(parseScenarioSummary('1 scenario (1 passed)\n'), { total: 1, byStatus: { passed: 1 } });
    assert.deepEqual(parseScenarioSummary('0 scenarios\n0 steps\n'), { total: 0, byStatus: {} });
    assert.equal(parseScenarioSummary('no summary here'), undefined);
  });

  it("takes the CLI's usage-error line as the reason of a refusal", () => {
    const stderr =
      'dpe-conformance: usage error: --parallel 2 with an external target: each worker has its own mock network\n  fix: run an external target without --parallel\n';
    assert.equal(refusalReason(stderr), '--parallel 2 with an external target: each worker has its own mock network');
    assert.equal(refusalReason('something else broke\n'), 'something else broke');
    assert.equal(refusalReason(''), 'no reason given');
  });
});

describe('section e rows', () => {
  const point = (associations: number, perSecond: number, rssMiB: number, heapMiB: number): ScalePoint => ({
    filled: { associations, fillMs: 10, rssBytes: rssMiB * 1024 ** 2, heapUsedBytes: heapMiB * 1024 ** 2, sample: [] },
    perSecond,
    p50Ms: 3,
    p99Ms: 12,
    cpuUs: 100 + associations / 100_000,
  });

  it('holds throughput at 1 M to within 2x of 1 k and RSS at 1 M under 1 GiB', () => {
    const rows = scaleTable([point(1_000, 5_000, 150, 30), point(1_000_000, 4_000, 540, 400)]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const at1M = byId.get('e.reregistration@1 M')!;
    assert.equal(at1M.ratio, 1.25);
    assert.equal(at1M.status, 'met');
    assert.deepEqual(at1M.goal, { op: '<=', bound: 2, source: 'issue 9' });
    const rss = byId.get('e.rss@1 M')!;
    assert.ok(Math.abs(rss.ratio! - 540 / 1024) < 1e-9);
    assert.equal(rss.status, 'met');
    const cpu = byId.get('e.cpu@1 M')!;
    assert.ok(Math.abs(cpu.ratio! - 110 / 100.01) < 1e-9);
    assert.equal(cpu.status, 'info');
    const mem = byId.get('e.memory-per-association')!;
    // (400 - 30) MiB and (540 - 150) MiB over 999 000 associations
    assert.match(mem.figures, /^heap 388 B, RSS 409 B per association$/);
  });

  it('a server that slows down with its state misses the goal', () => {
    const rows = scaleTable([point(1_000, 5_000, 150, 30), point(1_000_000, 186, 900, 800)]);
    assert.equal(rows.find((r) => r.id === 'e.reregistration@1 M')!.status, 'missed');
  });

  it('sets no 1 M goal when the run stops short of 1 M', () => {
    const rows = scaleTable([point(1_000, 5_000, 150, 30), point(100_000, 4_000, 190, 70)]);
    assert.ok(rows.every((r) => r.goal === undefined));
    assert.ok(!rows.some((r) => r.id.startsWith('e.rss')));
  });
});

describe('modes', () => {
  it('the default and full modes cover 1 M associations and --parallel 1/2/4/8; quick stays small', () => {
    for (const mode of ['default', 'full'] as const) {
      const p = planFor(mode);
      assert.deepEqual(p.suite.parallel, [1, 2, 4, 8]);
      assert.equal(p.scale.steps.at(-1), 1_000_000);
      assert.equal(p.suite.tags, undefined, 'the whole suite');
    }
    const q = planFor('quick');
    assert.ok(q.scale.steps.every((n) => n <= 100_000));
    assert.ok(q.suite.tags);
    assert.ok(planFor('full').suite.correctExternal);
    assert.ok(planFor('default').suite.minCapMs < planFor('full').suite.minCapMs);
  });
});
