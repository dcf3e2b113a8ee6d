/**
 * Child processes of the bench: timed runs with a cap (a run past its cap is stopped, with its
 * whole process group, and reported as a bound), and small loopback servers that print the URL
 * they listen on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

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
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
      signalGroup(child, 'SIGTERM');
      kill = setTimeout(() => signalGroup(child, 'SIGKILL'), 3_000);
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

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // the group has exited already
  }
}

export interface ListeningProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const LISTENING = /listening on (https?:\/\/[^\s)]+)/;

/** Starts `node <args>` and resolves with the URL it prints ("listening on <URL>"). */
export function startListening(args: string[], env: NodeJS.ProcessEnv = {}, deadlineMs = 20_000): Promise<ListeningProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${args.join(' ')} printed no "listening on" line within ${deadlineMs} ms:\n${out}`));
    }, deadlineMs);
    const onData = (c: Buffer) => {
      out += c.toString();
      const url = LISTENING.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolvePromise({ url, child, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${signal ?? code}) before it listened:\n${out}`));
    });
  });
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
