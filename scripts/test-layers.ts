/**
 * `npm test`: every test layer of the README, run at once where they wait rather than compute,
 * each into its own log (reports/test-layers/<layer>.log), with one line per layer as it ends and
 * a table of wall and CPU time at the end (also reports/test-layers/timings.json). Exits 1 when
 * a layer failed (its failed tests are printed, or its log's tail: scripts/layer-failures.ts), 2 on a usage mistake.
 *
 *   npm test [-- --only a,b] [-- --skip a,b]     layers by name (see LAYERS)
 *
 * The checkout is compiled once first (src/harness/compiled-code.ts): the layers that start
 * processes by the hundred (integration, hostile, mutation) run that tree instead of ts-node.
 * Layers start in LAYERS order, the longest first; a layer waits for the layers it reads the
 * output of (trace reads the reports of the suite runs). The type check, pure computation that
 * judges nothing by time, runs at a lower CPU priority, so that the layers judging deadlines
 * and quiet periods get the CPU first. The mutation layer, the last to end, is told when it runs
 * nearly alone, and then runs more suite runs at a time (Layer.moreJobs).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compiledTree } from '../src/harness/compiled-code';
import { signalGroup } from '../src/process/process-group';
import { failureExcerpt } from './layer-failures';

const ROOT = resolve(__dirname, '..');
const LOGS = join(ROOT, 'reports', 'test-layers');
/** A layer still running after this long hangs: it is killed with everything it started, and fails. */
const LAYER_DEADLINE_MS = 20 * 60_000;

interface Layer {
  name: string;
  /** The npm script it runs. */
  script: string;
  /** Arguments to the script. */
  args?: string[];
  /** Runs at a time by how many other layers still run, written into `file` as layers end. */
  moreJobs?: { file: string; byOthersLeft: Readonly<Record<number, number>> };
  after?: string[];
  /** Pure computation: run at a lower CPU priority (nice). */
  background?: boolean;
}

/**
 * The mutation layer's runs at a time once the other layers have (nearly) ended: its runs wait
 * far more than they compute, so it can run more at once (scripts/mutation.ts --jobs-file). It
 * starts at its default, 5; with one other layer left 6, alone 8.
 */
const MUTATION_JOBS_FILE = join(LOGS, 'mutation.jobs');
const MUTATION_JOBS_BY_OTHERS_LEFT = { 1: 6, 0: 8 };

/** In start order: the long poles first. */
const LAYERS: readonly Layer[] = [
  {
    name: 'mutation',
    script: 'mutation',
    args: ['--jobs-file', MUTATION_JOBS_FILE],
    moreJobs: { file: MUTATION_JOBS_FILE, byOthersLeft: MUTATION_JOBS_BY_OTHERS_LEFT },
  },
  { name: 'integration', script: 'test:integration' },
  { name: 'hostile', script: 'test:hostile' },
  { name: 'suites', script: 'conformance:all' },
  { name: 'suite-by-url', script: 'conformance:url' },
  { name: 'unit', script: 'test:unit' },
  { name: 'typecheck', script: 'typecheck', background: true },
  { name: 'lint', script: 'lint', background: true },
  { name: 'docs', script: 'docs:check' },
  // into reports/, not docs/: a layer that rewrote a tracked file would make the checkout dirty
  // under the others (the --version test reads `git describe --dirty`)
  { name: 'trace', script: 'trace', args: ['--out', 'reports/traceability.md'], after: ['suites', 'suite-by-url'] },
];

interface Outcome {
  layer: string;
  code: number | null;
  wallS: number;
  /** User + system CPU time of the layer's processes (bash `times`: every descendant waited for). */
  cpuS?: number;
  log: string;
}

function usage(msg: string): never {
  console.error(`test-layers: ${msg}\n  fix: name layers among ${LAYERS.map((l) => l.name).join(', ')}, e.g. npm test -- --only unit,docs`);
  process.exit(2);
}

function selection(argv: string[]): Layer[] {
  const list = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1]
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!v?.length) usage(`${flag} needs a comma-separated list of layers`);
    for (const n of v) if (!LAYERS.some((l) => l.name === n)) usage(`${flag}: no layer "${n}"`);
    return v;
  };
  const only = list('--only');
  const skip = list('--skip') ?? [];
  for (const a of argv) if (a.startsWith('-') && a !== '--only' && a !== '--skip') usage(`unknown option ${a}`);
  return LAYERS.filter((l) => (!only || only.includes(l.name)) && !skip.includes(l.name));
}

/** "0m1.500s" -> 1.5 */
const seconds = (t: string) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/** Process groups of the running layers: an interrupted npm test ends them too. */
const running = new Set<number>();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const pid of running) signalGroup(pid, 'SIGKILL');
    process.exit(130);
  });
}

function run(l: Layer): Promise<Outcome> {
  const log = join(LOGS, `${l.name}.log`);
  const times = join(LOGS, `${l.name}.times`);
  const npm = `npm run --silent ${l.script}${l.args ? ` -- ${l.args.map((a) => JSON.stringify(a)).join(' ')}` : ''}`;
  // bash's `times` gives the CPU of every descendant waited for; nice lowers a background layer's priority
  const script = `${l.background ? 'nice -n 10 ' : ''}${npm} > ${JSON.stringify(log)} 2>&1; rc=$?; times > ${JSON.stringify(times)}; exit $rc`;
  const t0 = Date.now();
  return new Promise((done) => {
    // detached: its own process group, so a hung layer is killed with everything it started
    const child = spawn('bash', ['-c', script], { cwd: ROOT, stdio: 'ignore', detached: true, env: { ...process.env, FORCE_COLOR: '0' } });
    running.add(child.pid!);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      signalGroup(child.pid, 'SIGKILL');
    }, LAYER_DEADLINE_MS);
    child.once('exit', (code) => {
      running.delete(child.pid!);
      clearTimeout(timer);
      if (killed) writeFileSync(log, `\ntest-layers: killed after ${LAYER_DEADLINE_MS / 60_000} min (a hang?)\n`, { flag: 'a' });
      let cpuS: number | undefined;
      try {
        const [, children] = readFileSync(times, 'utf8').trim().split('\n');
        const [user, sys] = (children ?? '').trim().split(/\s+/).map(seconds);
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuS = user! + sys!;
      } catch {
        /* no times: the shell was killed */
      }
      done({ layer: l.name, code, wallS: (Date.now() - t0) / 1000, cpuS, log });
    });
  });
}

const excerpt = (file: string) => {
  try {
    return failureExcerpt(readFileSync(file, 'utf8'));
  } catch {
    return '(no log)';
  }
};

async function main(): Promise<number> {
  const layers = selection(process.argv.slice(2));
  mkdirSync(LOGS, { recursive: true });
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const tree = compiledTree(ROOT);
  const compileS = (Date.now() - t0) / 1000;
  console.error(
    `test-layers: compiled the checkout once (${compileS.toFixed(1)} s, ${tree.slice(ROOT.length + 1)}); ${layers.length} layer(s): ${layers.map((l) => l.name).join(', ')}`,
  );
  for (const l of layers) if (l.moreJobs) rmSync(l.moreJobs.file, { force: true });
  const ended = new Set<string>();
  /** A layer that can use what others leave is told how much, as they end (Layer.moreJobs). */
  const tellTheOthers = () => {
    const left = layers.filter((l) => !ended.has(l.name));
    for (const l of left) {
      const jobs = l.moreJobs?.byOthersLeft[left.length - 1];
      if (l.moreJobs && jobs !== undefined) writeFileSync(l.moreJobs.file, `${jobs}\n`);
    }
  };
  const started = new Map<string, Promise<Outcome>>();
  const start = (l: Layer): Promise<Outcome> => {
    const known = started.get(l.name);
    if (known) return known;
    const deps = (l.after ?? []).flatMap((n) => layers.filter((x) => x.name === n)).map(start);
    const p = Promise.all(deps).then(() => run(l));
    p.then((o) => {
      ended.add(o.layer);
      tellTheOthers();
      const cpu = o.cpuS === undefined ? '' : `, CPU ${o.cpuS.toFixed(1)} s`;
      console.error(
        `  ${o.code === 0 ? 'passed' : 'FAILED'}  ${o.layer.padEnd(13)} ${o.wallS.toFixed(1).padStart(6)} s${cpu}  (${o.log.slice(ROOT.length + 1)})`,
      );
    });
    started.set(l.name, p);
    return p;
  };
  const outcomes = await Promise.all(layers.map(start));
  const wallS = (Date.now() - t0) / 1000;
  const own = process.cpuUsage(cpu0);
  const failed = outcomes.filter((o) => o.code !== 0);
  for (const o of failed) console.error(`\n--- ${o.layer}: exit ${o.code}; from ${o.log.slice(ROOT.length + 1)} ---\n${excerpt(o.log)}`);

  const cpuTotal = outcomes.reduce((a, o) => a + (o.cpuS ?? 0), (own.user + own.system) / 1e6);
  console.log('\nlayer          result    wall (s)   CPU (s)');
  for (const o of outcomes)
    console.log(
      `${o.layer.padEnd(13)}  ${(o.code === 0 ? 'passed' : 'FAILED').padEnd(8)} ${o.wallS.toFixed(1).padStart(9)} ${(o.cpuS?.toFixed(1) ?? '-').padStart(9)}`,
    );
  console.log(
    `${'all'.padEnd(13)}  ${(failed.length ? 'FAILED' : 'passed').padEnd(8)} ${wallS.toFixed(1).padStart(9)} ${cpuTotal.toFixed(1).padStart(9)}   (compile ${compileS.toFixed(1)} s first; CPU of every process, all cores)`,
  );
  writeFileSync(
    join(LOGS, 'timings.json'),
    `${JSON.stringify({ wallS, cpuS: cpuTotal, compileS, layers: outcomes.map(({ log: _log, ...o }) => o) }, null, 2)}\n`,
  );
  return failed.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    console.error(`test-layers: ${e.stack ?? e.message}`);
    process.exitCode = 2;
  },
);
