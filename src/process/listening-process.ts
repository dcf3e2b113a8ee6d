/**
 * A server started as a separate OS process, ready when it prints "listening on <URL>" (the
 * reference server, the independent one, the bench's servers). One starter for all of them: a
 * deadline on the line, an error that shows what the process printed, and a stop that waits for
 * the exit.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

const LISTENING = /listening on (https?:\/\/[^\s)]+)/;
/** Output kept per process (its tail): a long-running server that logs cannot grow it without bound. */
const KEPT_CHARS = 1 << 20;
/** Output shown in an error: the end of it, where the reason is. */
const SHOWN_CHARS = 4_000;

export interface ListeningOptions {
  /** What errors call the process ("the reference server"). */
  name: string;
  /** `node <args>`. */
  args: string[];
  cwd: string;
  /** Added to `baseEnv`. */
  env?: NodeJS.ProcessEnv;
  /** The environment `env` is added to; default process.env. */
  baseEnv?: NodeJS.ProcessEnv;
  /** How long it may take to print its line. */
  deadlineMs: number;
  /** stop(): SIGKILL this long after a SIGTERM it has not exited on; default: wait for the exit. */
  killAfterMs?: number;
}

export interface ListeningProcess {
  url: string;
  child: ChildProcess;
  /** What it printed so far (stdout and stderr, as they came; the last MiB). */
  output(): string;
  /** Its exit. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (unless it has exited), then waits for the exit. */
  stop(): Promise<void>;
}

export function startListening(o: ListeningOptions): Promise<ListeningProcess> {
  const child = spawn(process.execPath, o.args, {
    cwd: o.cwd,
    env: { ...(o.baseEnv ?? process.env), ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => {
    out += c.toString();
    if (out.length > KEPT_CHARS) out = out.slice(-KEPT_CHARS);
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (o.killAfterMs !== undefined) {
        const kill = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs).unref();
        void exited.then(() => clearTimeout(kill));
      }
    }
    await exited;
  };
  const shown = () => out.slice(-SHOWN_CHARS);
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${o.name} printed no "listening on" line within ${o.deadlineMs} ms:\n${shown()}`));
    }, o.deadlineMs);
    const onStdout = (c: Buffer) => {
      keep(c);
      const url = LISTENING.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stdout.off('data', onStdout);
        child.stdout.on('data', keep);
        resolvePromise({ url, child, output: () => out, exited, stop });
      }
    };
    child.stdout.on('data', onStdout);
    child.stderr.on('data', keep);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${o.name} could not be started: ${e.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // no effect once it has listened
      reject(new Error(`${o.name} exited (${signal ?? code}) before it listened:\n${shown()}`));
    });
  });
}
