/**
 * Runs the conformance suite as a child cucumber-js process and reads its verdicts from the
 * cucumber messages (NDJSON) it writes: the one runner behind the mutation score, the hostile
 * targets, the suite-can-fail test and the container test.
 *
 * The child uses a temporary config that reuses the project's cucumber.js profiles without
 * their report formats, so these runs never overwrite reports/. It loads the step code compiled
 * once (src/harness/compiled-code.ts), not through ts-node, unless the caller asks for the sources.
 * Given a pool (src/harness/suite-pool.ts), the run goes to one of its long-lived workers instead,
 * with the same environment, tags and messages file. It gets exactly the DPE_*
 * variables the caller names (inherited ones are dropped: a DPE_TARGET in the caller's shell
 * must not redirect a mutation run), and it is killed with its whole process group at the
 * deadline.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { signalGroup } from '../process/process-group';
import { compiledTree } from './compiled-code';
import type { SuitePool } from './suite-pool';
import type { Ics } from '../config/ics';
import type { Ixit } from '../config/ixit';
import type { RunRead } from '../report/run-reader';
import { readRun } from '../report/run-reader';

const ROOT = resolve(__dirname, '..', '..');
const CUCUMBER = join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
const OUTPUT_TAIL_CHARS = 20_000;

export interface SuiteProcessOptions {
  /** A profile of cucumber.js (e.g. per-user-and-device). */
  profile: string;
  /** DPE_* variables for the run (DPE_TARGET, DPE_VARIANT...); every other inherited DPE_* is dropped. */
  env?: NodeJS.ProcessEnv;
  /** Written to a temporary file given as DPE_IXIT. */
  ixit?: Ixit;
  /** Written to a temporary file given as DPE_ICS. */
  ics?: Ics;
  /** Cucumber tag expression (absent: the whole suite). */
  tags?: string;
  /** Stop at the first failing scenario (cucumber's --fail-fast); the rest are reported skipped. */
  failFast?: boolean;
  /** The child and its process group are killed after this long. */
  timeoutMs: number;
  /** Folder to create the run's temporary folder in (default: the OS temp folder). */
  tmpRoot?: string;
  /** Keep the temporary folder (config, IXIT, ICS, messages) instead of deleting it. */
  keepFiles?: boolean;
  /**
   * The step code the child loads: compiled once (default; the same transpilation as ts-node's,
   * without its start-up cost in every child) or the TypeScript sources through ts-node.
   */
  code?: 'compiled' | 'sources';
  /**
   * Run in a long-lived worker of this pool (src/harness/suite-pool.ts) instead of a child
   * cucumber-js of its own: the same run, without loading cucumber and the steps again.
   */
  pool?: SuitePool;
}

export interface SuiteProcessResult {
  /** null when the child was killed (at the deadline or by a signal). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  ms: number;
  /** The tail of the child's stdout and stderr. */
  output: string;
  /** The verdicts read from the messages; run.finished is unset when the run never finished. */
  run: RunRead;
  /** The run's temporary folder (deleted unless keepFiles). */
  dir: string;
}

/** The temporary cucumber config: the project's profiles with no report formats, and the step code to load. */
function writeConfig(dir: string, code: 'compiled' | 'sources'): string {
  const file = join(dir, 'cucumber.js');
  const steps = code === 'compiled' ? { requireModule: [], require: [join(compiledTree(ROOT), 'dist', 'steps', '**', '*.js')] } : {};
  writeFileSync(
    file,
    `const base = require(${JSON.stringify(join(ROOT, 'cucumber.js'))});\n` +
      `const steps = ${JSON.stringify(steps)};\n` +
      'module.exports = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, { ...v, ...steps, format: [] }]));\n',
  );
  return file;
}

/** Writes `value` as JSON into `dir`; returns the file's path. */
function writeJsonFile(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

export function runSuiteProcess(o: SuiteProcessOptions): Promise<SuiteProcessResult> {
  const dir = mkdtempSync(join(o.tmpRoot ?? tmpdir(), 'dpe-suite-'));
  const messages = join(dir, 'messages.ndjson');
  const late = join(dir, 'late-verdicts.ndjson');
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  for (const k of Object.keys(env)) if (k.startsWith('DPE_')) delete env[k];
  // these runs test the harness itself (targets that stop answering at once): no preflight (cucumber.js)
  env.DPE_PREFLIGHT = 'skip';
  Object.assign(env, o.env);
  env.DPE_LATE_VERDICTS_FILE = late;
  if (o.ixit) env.DPE_IXIT = writeJsonFile(dir, 'ixit.json', o.ixit);
  if (o.ics) env.DPE_ICS = writeJsonFile(dir, 'ics.json', o.ics);
  const started = Date.now();
  const finish = (r: { exitCode: number | null; signal: NodeJS.Signals | null; timedOut: boolean; output: string }): SuiteProcessResult => {
    let text = '';
    try {
      text = readFileSync(messages, 'utf8');
    } catch {
      /* none written: run.finished stays unset */
    }
    const run = readRun(text, late);
    if (!o.keepFiles) rmSync(dir, { recursive: true, force: true });
    return { ...r, exitCode: r.timedOut ? null : r.exitCode, ms: Date.now() - started, run, dir };
  };
  if (o.pool) {
    const dpe = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('DPE_') && e[1] !== undefined));
    return o.pool
      .run({ profile: o.profile, env: dpe, tags: o.tags, failFast: o.failFast, messagesFile: messages }, o.timeoutMs)
      .then(finish);
  }
  const config = writeConfig(dir, o.code ?? 'compiled');
  // cucumber joins --config to its working directory, so the path must be relative
  const args = [CUCUMBER, '--config', relative(ROOT, config), '-p', o.profile, '--format', `message:${messages}`];
  if (o.tags) args.push('--tags', o.tags);
  if (o.failFast) args.push('--fail-fast');
  return new Promise((done) => {
    // detached: its own process group, so the deadline kills cucumber and anything it started
    const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (c: Buffer) => {
      output = (output + c.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child.pid, 'SIGKILL');
    }, o.timeoutMs);
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      done(finish({ exitCode: code, signal, timedOut, output }));
    };
    child.on('error', (e) => {
      output += `\ncould not start cucumber-js: ${e.message}`;
      end(null, null);
    });
    child.on('close', end);
  });
}

/** The last lines of a run's output, on one line (for a table cell or an error message). */
export const lastLines = (s: string, n = 6): string => s.trim().split('\n').slice(-n).join(' | ');
