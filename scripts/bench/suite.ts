/**
 * Rows a–c of the bench: the suite's own cost and the cost of a faulty target.
 *  a. the embedded suite (cucumber-js with the project's loaders, step code and world parameters;
 *     scripts/bench/cucumber.bench.js) against cucumber-js's floor: one trivial scenario with the
 *     same loaders and step code, and one with the loader only; the suite's dry run, also with the
 *     waits the verdict rules mandate taken off the suite (the runs' wait ledgers: ./waits.ts); the
 *     overhead per executed scenario.
 *  b. the embedded suite against a faulty server (DPE_VARIANT, a mutant that omits a message)
 *     against the correct run of a, with what its missing messages cost in waits; a faulty run past
 *     its cap is stopped and its ratio is a bound.
 *  c. `dpe-conformance run --target <URL> --parallel N` against the reference server (built as the
 *     faulty variant, or correct) started as a separate process; the CLI compiled, as an installed
 *     package runs it (src/harness/compiled-code.ts); a refusal by the CLI is reported with its reason.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startReferenceProcess } from '../../src/cli/reference-process';
import { compiledTree } from '../../src/harness/compiled-code';
import type { TimedRun } from './processes';
import { ROOT, startBenchServer, timedNode } from './processes';
import type { Row } from './table';
import { millis, parseScenarioSummary, perUnit, ratio, refusalReason, row, seconds, unavailable } from './table';
import { ledgerInFile, lessWaitsRow, missedFigure } from './waits';

const CUCUMBER = join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');
const CONFIG = 'scripts/bench/cucumber.bench.js';

export interface SuiteOptions {
  /** Cucumber tag expression for the suite runs (quick mode); undefined: the whole suite. */
  tags?: string;
  /** The mutant of row b and of the faulty external target of row c. */
  faultyVariant: string;
  /** A faulty run is stopped after max(minCapMs, capFactor × the correct run). */
  capFactor: number;
  minCapMs: number;
  parallel: number[];
  /** Row c also against the correct reference server. */
  correctExternal: boolean;
}

interface SuiteRun extends TimedRun {
  scenarios?: { total: number; byStatus: Record<string, number> };
  /** The cucumber messages it wrote (with the verdict records and their wait ledgers). */
  messages?: string;
}

export class SuiteBench {
  private readonly out = mkdtempSync(join(tmpdir(), 'dpe-bench-'));
  /** The correct embedded run's time (row a): faulty runs are capped relative to it. */
  private correctMs: number | undefined;

  constructor(private readonly o: SuiteOptions) {}

  dispose(): void {
    rmSync(this.out, { recursive: true, force: true });
  }

  private async cucumber(
    profile: 'suite' | 'floor' | 'cucumber-floor',
    args: string[],
    env: NodeJS.ProcessEnv = {},
    capMs?: number,
  ): Promise<SuiteRun> {
    const tags = this.o.tags && profile === 'suite' ? ['--tags', this.o.tags] : [];
    const out = join(this.out, `${profile}-${randomBytes(3).toString('hex')}`);
    const r = await timedNode([CUCUMBER, '--config', CONFIG, '-p', profile, ...tags, ...args], {
      env: { DPE_BENCH_OUT: out, ...env },
      ...(capMs !== undefined ? { capMs } : {}),
    });
    const scenarios = parseScenarioSummary(r.stdout);
    // scripts/bench/cucumber.bench.js names the messages file after the profile
    return { ...r, messages: join(out, `${profile}.ndjson`), ...(scenarios ? { scenarios } : {}) };
  }

  /** Rows a and b; the correct run is returned for the caller's records. */
  async embedded(): Promise<Row[]> {
    const bare = await this.cucumber('cucumber-floor', []);
    const floor = await this.cucumber('floor', []);
    const dry = await this.cucumber('suite', ['--dry-run']);
    const suite = await this.cucumber('suite', []);
    this.correctMs = suite.ms;
    const faulty = await this.cucumber('suite', [], { DPE_VARIANT: this.o.faultyVariant }, this.capMs());

    for (const [name, r] of [
      ['cucumber floor', bare],
      ['floor', floor],
      ['dry run', dry],
      ['suite', suite],
    ] as const) {
      if (r.code !== 0) throw new Error(`the ${name} run failed (exit ${r.code}):\n${tail(r.stdout + r.stderr)}`);
    }
    const executed = executedOf(suite);
    const perScenario = perUnit(suite.ms, floor.ms, executed);
    const sel = this.o.tags ? ` (scenarios ${this.o.tags})` : '';
    const faultyFailed = (faulty.scenarios?.byStatus.failed ?? 0) > 0;
    return [
      row({
        id: 'a.suite/floor',
        what: `embedded suite${sel} ÷ one trivial scenario with the same loaders and step code`,
        figures: `suite ${seconds(suite.ms)} (${describe(suite)}), floor ${seconds(floor.ms)}`,
        ratio: ratio(suite.ms, floor.ms),
      }),
      row({
        id: 'a.suite/dry-run',
        what: `embedded suite${sel} ÷ its own dry run (loading and parsing only)`,
        figures: `suite ${seconds(suite.ms)}, dry run ${seconds(dry.ms)}`,
        ratio: ratio(suite.ms, dry.ms),
        goal: { op: '<=', bound: 3, source: 'issue 9' },
      }),
      lessWaitsRow(suite.ms, dry.ms, suite.messages ? ledgerInFile(suite.messages) : undefined, sel),
      row({
        id: 'a.floor/cucumber-floor',
        what: "floor with the suite's step code ÷ cucumber-js with its TypeScript loader and one trivial step only",
        figures: `floor ${seconds(floor.ms)}, cucumber-js floor ${seconds(bare.ms)}`,
        ratio: ratio(floor.ms, bare.ms),
      }),
      row({
        id: 'a.per-scenario',
        what: 'overhead per executed scenario: (suite − floor) ÷ executed scenarios, and its share of the floor',
        figures:
          perScenario === undefined ? 'no scenario executed' : `${millis(perScenario)} per scenario over ${executed} executed scenarios`,
        ratio: ratio(perScenario, floor.ms),
        note: "the ratio is one scenario's overhead ÷ the whole floor",
      }),
      row({
        id: 'b.faulty/correct',
        what: `embedded suite${sel} against a faulty server (${this.o.faultyVariant}) ÷ against the correct one`,
        figures:
          `faulty ${faulty.capped ? `> ${seconds(faulty.ms)} (stopped at the cap)` : `${seconds(faulty.ms)} (${describe(faulty)})`}, correct ${seconds(suite.ms)}` +
          (faulty.capped || faultyFailed ? '' : '; the faulty run failed no scenario: the variant went unnoticed') +
          missedFigure(faulty.messages ? ledgerInFile(faulty.messages) : undefined, faulty.capped),
        ratio: ratio(faulty.ms, suite.ms),
        atLeast: faulty.capped,
        goal: { op: '<=', bound: 2, source: 'issue 9' },
      }),
    ];
  }

  /** How long a faulty run may take: a multiple of the correct embedded run (or the minimum before there is one). */
  private capMs(): number {
    return Math.max(this.o.minCapMs, this.o.capFactor * (this.correctMs ?? 0));
  }

  /** Row c: `--parallel N` against an external target, the reference server as a separate process. */
  async external(): Promise<Row[]> {
    const rows: Row[] = [];
    rows.push(...(await this.parallelSeries(this.o.faultyVariant)));
    if (this.o.correctExternal) rows.push(...(await this.parallelSeries(undefined)));
    return rows;
  }

  private async parallelSeries(variant: string | undefined): Promise<Row[]> {
    const label = variant ? `faulty (${variant})` : 'correct';
    const runs = new Map<number, SuiteRun | string>();
    // a correct target gets a generous cap too: no run of the bench is unbounded
    const capMs = variant ? this.capMs() : 4 * this.capMs();
    // the CLI as an installed package runs it: compiled, so each worker pays no TypeScript transpilation
    const cli = join(compiledTree(ROOT), 'bin', 'dpe-conformance.js');
    const args = (target: Target, n: number, dryRun: boolean) => [
      cli,
      'run',
      '--target',
      target.url,
      '--ics',
      resolve(ROOT, 'docs/examples/ics.json'),
      '--ixit',
      resolve(ROOT, 'docs/examples/ixit.json'),
      '--parallel',
      String(n),
      '--reports-dir',
      this.out,
      '--run-id',
      `parallel-${variant ?? 'correct'}-${n}`,
      '--force',
      ...(this.o.tags ? ['--tags', this.o.tags] : []),
      ...(dryRun ? ['--dry-run'] : []),
    ];
    const target = await startTarget(variant);
    try {
      // what the CLI refuses, it refuses before contacting anything: a dry run finds out in a second
      for (const n of this.o.parallel) {
        const dry = await timedNode(args(target, n, true), { env: { DPE_HOOKS_TOKEN: target.adminToken }, capMs: 60_000 });
        if (dry.code !== 0)
          runs.set(n, dry.code === 2 ? refusalReason(dry.stderr) : `the dry run ended with exit ${dry.code}: ${tail(dry.stderr, 3)}`);
      }
    } finally {
      await target.stop();
    }
    const accepted = this.o.parallel.filter((n) => !runs.has(n));
    const serial = Math.min(...this.o.parallel);
    if (!accepted.some((n) => n > serial)) {
      // nothing to compare a serial run with: it is not run (it would only cost time)
      for (const n of accepted) runs.set(n, `no --parallel run above ${serial} was accepted to compare it with, so it was not run`);
    } else {
      for (const n of accepted) {
        const t = await startTarget(variant);
        try {
          const r = await timedNode(args(t, n, false), { env: { DPE_HOOKS_TOKEN: t.adminToken }, capMs });
          // exit 0 and 1 are verdicts (a slice of the suite may not notice a faulty server); 2 is no run
          if (r.code === 2 && !r.capped) runs.set(n, refusalReason(r.stderr));
          else if (!r.capped && r.code !== 0 && r.code !== 1) runs.set(n, `exit ${r.code}: ${tail(r.stderr, 3)}`);
          else {
            const scenarios = parseScenarioSummary(r.stdout);
            runs.set(n, { ...r, ...(scenarios ? { scenarios } : {}) });
          }
        } finally {
          await t.stop();
        }
      }
    }
    const base = this.o.parallel.map((n) => [n, runs.get(n)!] as const).find(([, r]) => typeof r !== 'string');
    const rows: Row[] = [];
    for (const n of this.o.parallel) {
      const r = runs.get(n)!;
      const id = `c.${variant ? 'faulty' : 'correct'}.parallel-${n}`;
      const what = `--parallel ${base ? base[0] : serial} ÷ --parallel ${n} against an external ${label} reference server (speed-up)`;
      const goal = variant && n === 4 ? { op: '>=' as const, bound: 3, source: 'issue 9' } : undefined;
      if (typeof r === 'string') {
        rows.push(unavailable(id, what, r, goal));
        continue;
      }
      const b = base![1] as SuiteRun;
      if (r === b) {
        rows.push(
          row({
            id,
            what: `--parallel ${n} against an external ${label} reference server: the base of the speed-ups`,
            figures: `${r.capped ? '> ' : ''}${seconds(r.ms)} (${describe(r)})`,
            status: 'info',
          }),
        );
        continue;
      }
      rows.push(
        row({
          id,
          what,
          figures: `${r.capped ? '> ' : ''}${seconds(r.ms)} (${describe(r)}), against ${b.capped ? '> ' : ''}${seconds(b.ms)}`,
          ratio: ratio(b.ms, r.ms),
          // a capped serial run makes the speed-up a lower bound; a capped parallel run, an upper one
          atLeast: b.capped && !r.capped,
          ...(goal ? { goal } : {}),
          ...(r.capped ? { status: 'info' as const, note: 'stopped at the cap: the ratio is an upper bound' } : {}),
        }),
      );
    }
    return rows;
  }
}

interface Target {
  url: string;
  adminToken: string;
  stop(): Promise<void>;
}

/** The reference server as a separate process, correct or built as `variant`, with its test hooks behind an admin token. */
async function startTarget(variant: string | undefined): Promise<Target> {
  if (!variant) return startReferenceProcess(['--policy', 'per-user-and-device', '--log-level', 'error']);
  const adminToken = randomBytes(24).toString('base64url');
  const p = await startBenchServer(
    [
      '-r',
      'ts-node/register/transpile-only',
      'scripts/bench/variant-server.ts',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--test-hooks',
      '--policy',
      'per-user-and-device',
      '--log-level',
      'error',
    ],
    { DPE_VARIANT: variant, DPE_ADMIN_TOKEN: adminToken },
  );
  return { url: p.url, adminToken, stop: p.stop };
}

function executedOf(r: SuiteRun): number {
  const s = r.scenarios;
  if (!s) return 0;
  return s.total - (s.byStatus.skipped ?? 0);
}

function describe(r: SuiteRun): string {
  const s = r.scenarios;
  if (!s) return r.capped ? 'no summary: stopped before the end' : `exit ${r.code}`;
  const parts = Object.entries(s.byStatus).map(([k, v]) => `${v} ${k}`);
  return `${s.total} scenarios${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
