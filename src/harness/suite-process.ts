/**
 * Runs the conformance suite as a child cucumber-js process and reads its verdicts from the
 * cucumber messages (NDJSON) it writes: the one runner behind the mutation score, the hostile
 * targets, the suite-can-fail test and the container test.
 *
 * The child uses a temporary config that reuses the project's cucumber.js profiles without
 * their report formats, so these runs never overwrite reports/. It gets exactly the DPE_*
 * variables the caller names (inherited ones are dropped: a DPE_TARGET in the caller's shell
 * must not redirect a mutation run), and it is killed with its whole process group at the
 * deadline.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Ics } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { readRun, type RunRead } from '../report/summary';

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
  /** The child and its process group are killed after this long. */
  timeoutMs: number;
  /** Folder to create the run's temporary folder in (default: the OS temp folder). */
  tmpRoot?: string;
  /** Keep the temporary folder (config, IXIT, ICS, messages) instead of deleting it. */
  keepFiles?: boolean;
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

/** The temporary cucumber config: the project's profiles with no report formats. */
function writeConfig(dir: string): string {
  const file = join(dir, 'cucumber.js');
  writeFileSync(
    file,
    `const base = require(${JSON.stringify(join(ROOT, 'cucumber.js'))});\n` +
      'module.exports = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, { ...v, format: [] }]));\n',
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
  const config = writeConfig(dir);
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  for (const k of Object.keys(env)) if (k.startsWith('DPE_')) delete env[k];
  // these runs test the harness itself (targets that stop answering at once): no preflight (cucumber.js)
  env.DPE_PREFLIGHT = 'skip';
  Object.assign(env, o.env);
  env.DPE_LATE_VERDICTS_FILE = late;
  if (o.ixit) env.DPE_IXIT = writeJsonFile(dir, 'ixit.json', o.ixit);
  if (o.ics) env.DPE_ICS = writeJsonFile(dir, 'ics.json', o.ics);
  // cucumber joins --config to its working directory, so the path must be relative
  const args = [CUCUMBER, '--config', relative(ROOT, config), '-p', o.profile, '--format', `message:${messages}`];
  if (o.tags) args.push('--tags', o.tags);
  const started = Date.now();
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
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, o.timeoutMs);
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      let text = '';
      try {
        text = readFileSync(messages, 'utf8');
      } catch {
        /* none written: run.finished stays unset */
      }
      const run = readRun(text, late);
      if (!o.keepFiles) rmSync(dir, { recursive: true, force: true });
      done({ exitCode: timedOut ? null : code, signal, timedOut, ms: Date.now() - started, output, run, dir });
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
