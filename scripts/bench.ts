/**
 * `npm run bench`: same-run ratios of the suite's and the reference server's speed and memory
 * (docs/bench.md explains each row and the ratio expected). Loopback only; every run bounded.
 *
 *   npm run bench                 about 3 minutes: the whole suite, 1 k – 1 M associations
 *   npm run bench -- --quick      under a minute: a slice of the suite, up to 100 k associations
 *   npm run bench -- --full       no cap short of 10 minutes on faulty runs, longer loads, and
 *                                 --parallel against the correct external server too
 *   npm run bench -- --only d,e   some sections only (a and b run together)
 *   npm run bench -- --check      exit 1 when a goal of issue 9 is missed
 *
 * Prints the table and writes it to reports/bench/bench.md and bench.json (--out <dir>).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { SuiteOptions } from './bench/suite';
import { SuiteBench } from './bench/suite';
import type { ThroughputOptions } from './bench/throughput';
import { throughputRows } from './bench/throughput';
import type { ScaleOptions } from './bench/scale';
import { scaleRows } from './bench/scale';
import type { BenchReport, Row } from './bench/table';
import { renderMarkdown, renderTable } from './bench/table';
import { ROOT } from './bench/processes';

type Mode = BenchReport['mode'];
const SECTIONS = ['a', 'b', 'c', 'd', 'e'] as const;
type Section = (typeof SECTIONS)[number];

interface Plan {
  suite: SuiteOptions;
  throughput: ThroughputOptions;
  scale: ScaleOptions;
}

/** What each mode runs (docs/bench.md). */
export function planFor(mode: Mode): Plan {
  const faultyVariant = 'no-group-release';
  if (mode === 'quick') {
    return {
      suite: {
        tags: '@clause-6.3.7 or @req-dc.release-groups',
        faultyVariant,
        capFactor: 2,
        minCapMs: 5_000,
        parallel: [1, 4],
        correctExternal: false,
      },
      throughput: { connections: 20, durationS: 1, rounds: 1 },
      scale: { steps: [1_000, 10_000, 100_000], connections: 20, durationS: 1 },
    };
  }
  const full = mode === 'full';
  return {
    suite: { faultyVariant, capFactor: full ? 40 : 2.2, minCapMs: full ? 600_000 : 20_000, parallel: [1, 2, 4, 8], correctExternal: full },
    throughput: { connections: 20, durationS: full ? 2 : 1, rounds: full ? 5 : 3 },
    scale: { steps: [1_000, 10_000, 100_000, 1_000_000], connections: 20, durationS: full ? 5 : 2 },
  };
}

function parseSections(v: string): Section[] {
  const list = v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (bad.length || !list.length) throw new InvalidArgumentError(`sections are ${SECTIONS.join(', ')}, comma-separated, e.g. --only d,e`);
  return list as Section[];
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .description('same-run ratios of the suite and the reference server (docs/bench.md)')
    .exitOverride()
    .showHelpAfterError('(npm run bench -- --help lists the options; docs/bench.md explains them)')
    .option('--quick', 'under a minute: a slice of the suite, up to 100 k associations')
    .option('--full', 'faulty runs capped at 10 minutes only, longer loads, the correct external server too')
    .option('--only <sections>', `run only these sections (${SECTIONS.join(', ')}; a and b run together)`, parseSections)
    .option('--check', 'exit 1 when a goal is missed (a row that is not available is not a miss)')
    .option('--out <dir>', 'folder for bench.md and bench.json', 'reports/bench');
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    return e instanceof CommanderError && e.exitCode === 0 ? 0 : 2;
  }
  const opts = program.opts<{ quick?: boolean; full?: boolean; only?: Section[]; check?: boolean; out: string }>();
  if (opts.quick && opts.full) {
    console.error('bench: --quick and --full exclude each other; pick one (docs/bench.md)');
    return 2;
  }
  const mode: Mode = opts.quick ? 'quick' : opts.full ? 'full' : 'default';
  const plan = planFor(mode);
  const want = new Set<Section>(opts.only ?? SECTIONS);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const machine = { node: process.versions.node, cpus: cpus().length, totalMemBytes: totalmem(), loadAverage: loadavg() };
  const rows: Row[] = [];
  const step = async (name: string, f: () => Promise<Row[]>) => {
    const t = performance.now();
    process.stderr.write(`bench: ${name} …\n`);
    const got = await f();
    rows.push(...got);
    process.stderr.write(`bench: ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s\n${renderTable(got)}\n\n`);
  };

  const suite = new SuiteBench(plan.suite);
  try {
    if (want.has('a') || want.has('b')) {
      await step('a, b: the embedded suite, its floor, its dry run, a faulty server', async () => {
        const got = await suite.embedded();
        return got.filter((r) => want.has(r.id[0] as Section));
      });
    }
    if (want.has('c')) await step('c: --parallel against an external target', () => suite.external());
    if (want.has('d')) await step('d: registrations per second against bare node:http', () => throughputRows(plan.throughput));
    if (want.has('e')) await step(`e: the reference server at ${plan.scale.steps.join(', ')} associations`, () => scaleRows(plan.scale));
  } finally {
    suite.dispose();
  }

  const report: BenchReport = { startedAt, mode, durationMs: performance.now() - t0, machine, rows };
  const dir = resolve(ROOT, opts.out);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.md'), renderMarkdown(report));
  writeFileSync(join(dir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(renderMarkdown(report));
  console.error(`bench: written to ${join(opts.out, 'bench.md')} and bench.json`);
  return opts.check && rows.some((r) => r.status === 'missed') ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: Error) => {
      console.error(`bench: ${e.stack ?? e.message}`);
      process.exitCode = 1;
    },
  );
}
