/**
 * A long-lived suite process (src/harness/suite-pool.ts forks it from the compiled tree): it loads
 * cucumber and the step code once, then runs one suite after another through cucumber's own API
 * (runCucumber with the support code loaded once), each with its own DPE_* environment, tags
 * and messages file — what a child `cucumber-js` run does, without loading everything again:
 * start-up is most of the CPU of a run on the few scenarios of one requirement.
 *
 * One run at a time: the harness reads its configuration from the environment when the run
 * starts (BeforeAll), and every run starts and stops its own harness context, mock network and
 * embedded server. Protocol (IPC): the pool sends a WorkerRun, the worker answers a WorkerDone.
 */
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import type { IRunEnvironment, ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';

export interface WorkerRun {
  id: number;
  /** The checkout (cwd of the runs: feature uris are relative to it). */
  root: string;
  profile: string;
  /** The DPE_* variables of the run; every other DPE_* is dropped. */
  env: Record<string, string>;
  tags?: string;
  failFast?: boolean;
  messagesFile: string;
}

export interface WorkerDone {
  id: number;
  /** 0 every scenario passed, 1 a failure (as cucumber-js exits), null the run threw. */
  exitCode: number | null;
  output: string;
}

const OUTPUT_TAIL_CHARS = 20_000;
let support: ISupportCodeLibrary | undefined;

async function runOne(r: WorkerRun): Promise<WorkerDone> {
  for (const k of Object.keys(process.env)) if (k.startsWith('DPE_')) delete process.env[k];
  Object.assign(process.env, r.env);
  process.exitCode = undefined;
  let output = '';
  const collect = (c: unknown) => void (output = (output + String(c)).slice(-OUTPUT_TAIL_CHARS));
  const sink = new PassThrough();
  sink.on('data', collect);
  // the hooks write what they judged late to process.stderr: keep it with this run's output
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((c: unknown, ...rest: unknown[]) => {
    collect(c);
    return (write as (...a: unknown[]) => boolean)(c, ...rest);
  }) as typeof process.stderr.write;
  try {
    // the project's profiles: the same paths, world parameters and strictness as `cucumber-js -p <profile>`
    const profiles = require(join(r.root, 'cucumber.js')) as Record<string, Record<string, unknown>>;
    const profile = profiles[r.profile];
    if (!profile) throw new Error(`cucumber.js has no profile "${r.profile}"`);
    const environment: IRunEnvironment = { cwd: r.root, env: process.env, stdout: sink, stderr: sink };
    const steps = join(__dirname, '..', '..', 'steps', '**', '*.js');
    const { runConfiguration } = await loadConfiguration(
      {
        file: false,
        provided: {
          ...profile,
          format: [],
          requireModule: [],
          require: [steps],
          ...(r.tags ? { tags: r.tags } : {}),
          failFast: r.failFast ?? false,
        },
      },
      environment,
    );
    runConfiguration.formats = { stdout: 'summary', files: { [r.messagesFile]: 'message' }, options: {}, publish: false };
    support ??= await loadSupport(runConfiguration, environment);
    const result = await runCucumber({ ...runConfiguration, support }, environment);
    return { id: r.id, exitCode: result.success && process.exitCode !== 1 ? 0 : 1, output };
  } catch (e) {
    collect(`\nthe run threw: ${(e as Error).stack ?? String(e)}`);
    return { id: r.id, exitCode: null, output };
  } finally {
    process.stderr.write = write;
    process.exitCode = undefined;
  }
}

if (require.main === module) {
  let queue = Promise.resolve();
  process.on('message', (r: WorkerRun) => {
    queue = queue.then(async () => {
      const done = await runOne(r);
      process.send?.(done);
    });
  });
  process.on('disconnect', () => process.exit(0));
}
