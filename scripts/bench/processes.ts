/**
 * Child processes of the bench: timed runs with a cap (a run past its cap is stopped, with its
 * whole process group, and reported as a bound), and the CPU time of a process. Its loopback
 * servers start through src/process/listening-process.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ListeningProcess } from '../../src/process/listening-process';
import { startListening } from '../../src/process/listening-process';
import { signalGroup } from '../../src/process/process-group';

export const ROOT = resolve(__dirname, '..', '..');

export interface TimedRun {
  ms: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Stopped at its cap: `ms` is a lower bound of the time it would have taken. */
  capped: boolean;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Stop the run after this long (it is reported as capped). */
  capMs?: number;
}

/** Runs `node <args>` in the project folder and times it from spawn to exit. */
export function timedNode(args: string[], o: RunOptions = {}): Promise<TimedRun> {
  const started = performance.now();
  // its own process group, so that a capped run's workers stop with it
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let capped = false;
  let timer: NodeJS.Timeout | undefined;
  let kill: NodeJS.Timeout | undefined;
  if (o.capMs !== undefined) {
    timer = setTimeout(() => {
      capped = true;
      signalGroup(child.pid, 'SIGTERM');
      kill = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 3_000);
    }, o.capMs);
  }
  return new Promise((resolvePromise) => {
    child.once('close', (code, signal) => {
      const ms = capped ? (o.capMs ?? performance.now() - started) : performance.now() - started;
      clearTimeout(timer);
      clearTimeout(kill);
      resolvePromise({ ms, code, signal, stdout, stderr, capped });
    });
  });
}

/** Starts `node <args>` in the project folder: a loopback server of the bench, ready when it prints its URL. */
export function startBenchServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ListeningProcess> {
  return startListening({ name: args.join(' '), args, cwd: ROOT, env, deadlineMs: 20_000 });
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux; undefined
 * elsewhere). Unlike a rate, it hardly depends on what else the machine runs.
 */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
