/**
 * The run command: load and validate the ICS and IXIT, start or reach the target, preflight
 * it, run the suite into reports/<run-id>/, then score the run (src/report/summary.ts) and
 * return its exit code. Environment problems end the run with exit code 2 before any
 * scenario, so they are never mistaken for a verdict on the implementation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLIENT_ID_POLICIES, referenceIcs, type ClientIdPolicy, type Ics } from '../config/ics';
import { DEFAULT_IXIT, type Ixit } from '../config/ixit';
import { ConfigError, loadIcs, loadIxit } from '../config/load';
import type { ContainerTarget } from '../harness/container-target';
import { EXIT } from './exit-codes';
import { defaultRunId } from './options';
import { preflight } from './preflight';

export interface RunOptions {
  target?: string;
  targetImage?: string;
  imageArg: string[];
  /** Bearer token for the target's test hooks, added by a loopback gateway (src/cli/hooks-gateway.ts). */
  hooksToken?: string;
  ics?: string;
  ixit?: string;
  policy?: ClientIdPolicy;
  tags?: string;
  parallel: number;
  runId?: string;
  reportsDir: string;
  /** The arguments after the program name, as given (for the "Reproduce" section). */
  argv: string[];
}

/** Package root: bin/, src/, features/ and cucumber.js live there, wherever the CLI is run from. */
const ROOT = resolve(__dirname, '..', '..');
/** Variables through which the CLI tells the step code what to target (src/harness/suite-config.ts). */
const SUITE_ENV = ['DPE_TARGET', 'DPE_ICS', 'DPE_IXIT', 'DPE_POLICY', 'DPE_TRACE_DIR'] as const;

const say = (line: string) => process.stderr.write(`dpe-conformance: ${line}\n`);

/** Ends a run before any verdict: says why, and leaves the reason in the run folder. */
function environmentError(runDir: string, detail: string): number {
  say(`environment error: ${detail}`);
  say('no verdict on the implementation; exit code 2 (environment error)');
  writeFileSync(join(runDir, 'environment-error.txt'), `environment error (exit code 2): ${detail}\n`);
  return EXIT.environment;
}

export async function runConformance(o: RunOptions): Promise<number> {
  const startedAt = new Date();
  const runId = o.runId ?? defaultRunId(startedAt);
  const runDir = resolve(o.reportsDir, runId);

  let ics: Ics;
  let ixit: Ixit;
  try {
    ics = o.ics ? loadIcs(o.ics) : referenceIcs(o.policy ?? CLIENT_ID_POLICIES[1]);
    ixit = o.ixit ? loadIxit(o.ixit) : DEFAULT_IXIT;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    say(`configuration error: ${e.message}`);
    return EXIT.environment;
  }
  mkdirSync(join(runDir, 'traces'), { recursive: true });
  if ((o.target || o.targetImage) && o.parallel > 1) {
    // each worker has its own mock network, but the target knows one Notify-URI per SP
    return environmentError(runDir, '--parallel above 1 needs the built-in reference server: an external target reports to one Notify-URI per SP, which only one worker can own');
  }

  let container: ContainerTarget | undefined;
  let gateway: import('./hooks-gateway').HooksGateway | undefined;
  try {
    let targetUrl = o.target;
    if (o.targetImage) {
      say(`starting ${o.targetImage} (host networking)`);
      try {
        const { startContainerTarget } = await import('../harness/container-target');
        container = await startContainerTarget(o.targetImage, { args: o.imageArg });
      } catch (e) {
        return environmentError(runDir, (e as Error).message);
      }
      targetUrl = container.url;
    }
    if (targetUrl && o.hooksToken) {
      const { startHooksGateway } = await import('./hooks-gateway');
      gateway = await startHooksGateway(targetUrl, o.hooksToken);
    }
    const suiteUrl = gateway?.url ?? targetUrl;
    const targetLabel = targetUrl ? `${targetUrl}${o.targetImage ? ` (image ${o.targetImage})` : ''}` : 'built-in reference server';

    if (targetUrl) {
      const p = await preflight(suiteUrl ?? targetUrl, {
        checkProvisioning: ixit.onboardThroughProvisioning,
        onboardedSps: ixit.onboardThroughProvisioning ? [] : ixit.serviceProviders,
      });
      if (p.kind === 'unreachable') {
        return environmentError(runDir, `${p.detail} (preflight; no scenario was run)`);
      }
      say(p.kind === 'speaks-binding' ? `preflight: ${p.detail}` : `preflight warning: ${p.detail}`);
    }

    for (const k of SUITE_ENV) delete process.env[k];
    if (suiteUrl) process.env.DPE_TARGET = suiteUrl;
    if (o.ics) process.env.DPE_ICS = resolve(o.ics);
    else process.env.DPE_POLICY = ics.clientIdPolicy;
    if (o.ixit) process.env.DPE_IXIT = resolve(o.ixit);
    process.env.DPE_TRACE_DIR = join(runDir, 'traces');

    say(`run ${runId} against ${targetLabel}; reports in ${runDir}`);
    // cucumber is loaded only for a run: --help and option errors stay fast
    const { runSuite, REPORT_FILES } = await import('./cucumber-run');
    let success: boolean;
    try {
      ({ success } = await runSuite({
        root: ROOT,
        runDir,
        tags: o.tags,
        parallel: o.parallel,
        worldParameters: {},
        stdoutFormat: process.stdout.isTTY ? 'progress-bar' : 'progress',
        env: process.env,
      }));
    } catch (e) {
      return environmentError(runDir, `the suite could not run: ${(e as Error).message}`);
    }

    // the target's logs belong to the run: stop it now so they are complete beside the reports
    if (container) await stopContainer(container, join(runDir, 'target.log'));
    container = undefined;

    const { buildSummary, exitCodeFor, headline, writeSummary } = await import('../report/summary');
    const summary = buildSummary({
      root: ROOT,
      runId,
      runDir,
      messagesFile: join(runDir, REPORT_FILES.messages),
      target: targetLabel,
      targetLog: o.targetImage ? 'target.log' : undefined,
      ics,
      ixit,
      icsFile: o.ics,
      ixitFile: o.ixit,
      tags: o.tags,
      startedAt,
      finishedAt: new Date(),
      cucumberSuccess: success,
      command: reproduceCommand(o.argv),
    });
    writeSummary(runDir, summary);
    const code = exitCodeFor(summary);
    say(`${headline(summary)} (exit code ${code}); see ${join(runDir, 'summary.md')}`);
    return code;
  } finally {
    await gateway?.close();
    if (container) await stopContainer(container, join(runDir, 'target.log'));
  }
}

/** Stops the container target and keeps its logs beside the reports. */
async function stopContainer(c: ContainerTarget, file: string): Promise<void> {
  try {
    await c.stop();
  } catch (e) {
    say(`stopping the container: ${(e as Error).message}`);
  }
  writeFileSync(file, await c.logs());
  say(`container logs in ${file}`);
}

/** The exact command line of this run, for the "Reproduce" section of summary.md. */
function reproduceCommand(argv: string[]): string {
  const q = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  return ['npx', 'dpe-conformance', ...argv.map(q)].join(' ');
}
