/**
 * A pool of long-lived suite processes (src/harness/suite-worker.ts), for callers that run the
 * suite a hundred times (the mutation score): each worker loads cucumber and the compiled step
 * code once and runs one suite after another, where a child `cucumber-js` per run would load
 * them again each time. A run that overruns its deadline or crashes its worker takes the worker
 * with it (killed), and the next run gets a fresh one; a worker is also replaced after
 * RUNS_PER_WORKER runs, so nothing a run leaves behind can accumulate.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import { compiledTree } from './compiled-code';
import type { WorkerDone, WorkerRun } from './suite-worker';

const ROOT = resolve(__dirname, '..', '..');
const RUNS_PER_WORKER = 25;
const OUTPUT_TAIL_CHARS = 20_000;

export interface PoolRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  output: string;
}

interface Worker {
  child: ChildProcess;
  runs: number;
  /** What the worker printed outside any run's capture (start-up, a crash). */
  output: string;
}

export class SuitePool {
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(w: Worker) => void> = [];
  private live = 0;
  private nextId = 1;
  private closed = false;

  constructor(
    private size: number,
    private readonly root = ROOT,
  ) {}

  /** Allows up to `size` workers from now on (more runs at a time); a pool never shrinks. */
  grow(size: number): void {
    if (size <= this.size) return;
    this.size = size;
    // runs waiting for a worker get a new one at once
    while (this.waiting.length && this.live < this.size && !this.closed) this.waiting.shift()!(this.spawn());
  }

  private spawn(): Worker {
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', DPE_PREFLIGHT: 'skip' };
    const child = fork(join(compiledTree(this.root), 'dist', 'src', 'harness', 'suite-worker.js'), [], {
      cwd: this.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const w: Worker = { child, runs: 0, output: '' };
    const collect = (c: Buffer) => void (w.output = (w.output + c.toString('utf8')).slice(-OUTPUT_TAIL_CHARS));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.live++;
    child.once('exit', () => this.live--);
    return w;
  }

  private acquire(): Promise<Worker> {
    if (this.closed) return Promise.reject(new Error('the suite pool is closed'));
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    if (this.live < this.size) return Promise.resolve(this.spawn());
    return new Promise((r) => this.waiting.push(r));
  }

  private release(w: Worker, healthy: boolean): void {
    if (!healthy || w.runs >= RUNS_PER_WORKER || this.closed) {
      w.child.kill('SIGKILL');
      const next = this.waiting.shift();
      if (next && !this.closed) next(this.spawn());
      return;
    }
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  /** One suite run in a worker; resolves when it ends, is killed at `timeoutMs`, or its worker dies. */
  async run(r: Omit<WorkerRun, 'id' | 'root'>, timeoutMs: number): Promise<PoolRunResult> {
    const w = await this.acquire();
    w.runs++;
    w.output = '';
    const id = this.nextId++;
    return new Promise((done) => {
      let settled = false;
      const finish = (res: PoolRunResult, healthy: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        w.child.off('message', onMessage);
        w.child.off('exit', onExit);
        this.release(w, healthy);
        done(res);
      };
      const onMessage = (m: WorkerDone) => {
        if (m.id === id) finish({ exitCode: m.exitCode, signal: null, timedOut: false, output: m.output }, m.exitCode !== null);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        finish(
          { exitCode: code, signal, timedOut: false, output: `${w.output}\nthe suite worker ended (${signal ?? `exit ${code}`})` },
          false,
        );
      const timer = setTimeout(() => finish({ exitCode: null, signal: 'SIGKILL', timedOut: true, output: w.output }, false), timeoutMs);
      w.child.on('message', onMessage);
      w.child.once('exit', onExit);
      w.child.send({ ...r, id, root: this.root } satisfies WorkerRun);
    });
  }

  /** Ends every worker; runs still waiting for one are refused. */
  close(): void {
    this.closed = true;
    for (const w of this.idle.splice(0)) w.child.kill('SIGKILL');
  }
}
