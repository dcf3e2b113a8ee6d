/**
 * The run command: plan the run (every usage and configuration check, src/cli/run-plan.ts),
 * start or reach the target, preflight it, run the suite into reports/<run-id>/, then score
 * the run (src/report/build-summary.ts) and return its exit code. Mistakes and environment problems
 * end the run with exit code 2 before any scenario, so they are never taken for a verdict.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ContainerTarget } from '../harness/container-target';
import { EXIT } from './exit-codes';
import { packageRoot } from './package-info';
import { preflightTarget } from './preflight';
import type { PlanOptions, RunPlan } from './run-plan';
import { planRun } from './run-plan';
import { prepareRunFolder } from './run-folder';
import { reproduceLine } from '../report/reproduce';
import { byLocation, cucumberPaths, shardLabel } from './shard';
import { describeUsageError, UsageError } from './usage-error';

/** What `run` takes: the plan's options (./run-plan.ts) and what only a run needs. */
export interface RunOptions extends PlanOptions {
  imageArg: string[];
  /** Bearer token for the target's test hooks, added by a loopback gateway (src/cli/hooks-gateway.ts). */
  hooksToken?: string;
  dryRun?: boolean;
  /** The arguments after the program name, as given (for the "Reproduce" section). */
  argv: string[];
}

/** Variables through which the CLI tells the step code what to target (src/harness/suite-config.ts). */
const SUITE_ENV = ['DPE_TARGET', 'DPE_ICS', 'DPE_IXIT', 'DPE_POLICY', 'DPE_TRACE_DIR', 'DPE_PREFLIGHT', 'DPE_MOCK_ROUTER'] as const;

const say = (line: string) => process.stderr.write(`dpe-conformance: ${line}\n`);

/** Ends a run before any verdict: says why; once the run folder exists, leaves the reason in it. */
function environmentError(detail: string, runDir?: string): number {
  say(`environment error: ${detail}`);
  say('no verdict on the implementation; exit code 2 (environment error)');
  if (runDir) writeFileSync(join(runDir, 'environment-error.txt'), `environment error (exit code 2): ${detail}\n`);
  return EXIT.environment;
}

export async function runConformance(o: RunOptions): Promise<number> {
  const startedAt = new Date();
  const root = packageRoot();
  let plan: RunPlan;
  try {
    plan = await planRun(o, root);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(describeUsageError(e));
    return EXIT.environment;
  }
  const { runId, runDir, selection } = plan;
  const notApplicable = selection.tagged.length - selection.applicable.length;
  const shardWords = plan.shard ? ` (shard ${shardLabel(plan.shard)} of ${plan.shard.of.length} selected)` : '';
  if (o.dryRun) {
    for (const s of selection.applicable) process.stdout.write(`${s.location}  ${s.name}\n`);
    say(
      `dry run: ${selection.applicable.length} scenario(s)${shardWords} would run against ${o.targetImage ?? o.target ?? 'the built-in reference server'} ` +
        `with ${plan.parallel ? `${plan.parallel} worker(s)` : 'no workers (in this process)'} ` +
        `(${notApplicable} more selected but not applicable to the ICS); reports would go to ${runDir}; nothing was started, contacted or written`,
    );
    return EXIT.pass;
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
        return environmentError((e as Error).message);
      }
      targetUrl = container.url;
    }
    if (targetUrl && o.hooksToken) {
      const { startHooksGateway } = await import('./hooks-gateway');
      gateway = await startHooksGateway(targetUrl, o.hooksToken);
    }
    const suiteUrl = gateway?.url ?? targetUrl;
    // DPE_VARIANT swaps the built-in server for a variant (src/server/variants): the report must say so
    const variant = targetUrl ? undefined : process.env.DPE_VARIANT || undefined;
    const targetLabel = targetUrl
      ? `${targetUrl}${o.targetImage ? ` (image ${o.targetImage})` : ''}`
      : `built-in reference server${variant ? ` (variant ${variant})` : ''}`;

    if (targetUrl) {
      const p = await preflightTarget(suiteUrl ?? targetUrl, plan.ixit);
      if (p.kind === 'unreachable') return environmentError(`${p.detail} (preflight; no scenario was run)`);
      say(p.kind === 'speaks-binding' ? `preflight: ${p.detail}` : `preflight warning: ${p.detail}`);
    }

    prepareRunFolder(runDir, o.force ?? false);
    for (const k of SUITE_ENV) delete process.env[k];
    if (suiteUrl) {
      process.env.DPE_TARGET = suiteUrl;
      // the target answered: from now on a missing answer is the target's failure (src/harness/target.ts)
      process.env.DPE_PREFLIGHT = 'passed';
    }
    if (o.ics) process.env.DPE_ICS = resolve(o.ics);
    else process.env.DPE_POLICY = plan.ics.clientIdPolicy;
    if (o.ixit) process.env.DPE_IXIT = resolve(o.ixit);
    process.env.DPE_TRACE_DIR = join(runDir, 'traces');

    const workers = plan.parallel ? `, ${plan.parallel} worker(s)` : '';
    say(
      `run ${runId} against ${targetLabel}: ${selection.applicable.length} scenario(s)${shardWords} (${notApplicable} not applicable)${workers}; reports in ${runDir}`,
    );
    // cucumber is loaded only for a run: --help, list and usage errors stay fast
    const { runSuite } = await import('./cucumber-run');
    const { REPORT_PAGES } = await import('../report/report-pages');
    let success: boolean;
    try {
      const paths = plan.shard ? cucumberPaths(selection.tagged) : undefined;
      ({ success } = await runSuite({ root, runDir, tags: o.tags, parallel: plan.parallel, env: process.env, paths }));
    } catch (e) {
      return environmentError(`the suite could not run: ${(e as Error).message}`, runDir);
    }

    // the target's logs belong to the run: stop it now so they are complete beside the reports
    if (container) await stopContainer(container, join(runDir, 'target.log'));
    container = undefined;

    const { buildSummary } = await import('../report/build-summary');
    const { exitCodeFor } = await import('../report/summary');
    const { headline, writeSummary } = await import('../report/summary-render');
    const summary = buildSummary({
      root,
      runId,
      runDir,
      messagesFile: join(runDir, REPORT_PAGES.messages),
      target: targetLabel,
      targetLog: o.targetImage ? 'target.log' : undefined,
      ics: plan.ics,
      ixit: plan.ixit,
      icsFile: o.ics,
      ixitFile: o.ixit,
      tags: o.tags,
      startedAt,
      finishedAt: new Date(),
      cucumberSuccess: success,
      command: reproduceLine(['npx', 'dpe-conformance'], o.argv, { DPE_VARIANT: variant }),
      referenceVariant: variant,
      selectionKeys: selection.tagged.map((s) => s.location).sort(byLocation),
      ...(plan.shard
        ? { shard: { index: plan.shard.index, total: plan.shard.total, of: plan.shard.of.map((s) => s.location).sort(byLocation) } }
        : {}),
    });
    writeSummary(runDir, summary);
    try {
      const { writeHtmlReports } = await import('../report/html-report');
      writeHtmlReports(runDir, summary);
    } catch (e) {
      // the certificate is written: a page that could not be is no reason to lose the verdict
      say(`the HTML reports could not be written: ${(e as Error).message}`);
    }
    // one line per scenario that did not pass; the reports hold the detail
    for (const s of summary.scenarios) {
      if (s.verdict !== 'pass' && s.verdict !== 'not applicable') say(`${s.verdict}: ${s.location} ${s.name}: ${s.reason.split('\n')[0]}`);
    }
    const code = exitCodeFor(summary);
    say(`${headline(summary)} (exit code ${code}); see ${join(runDir, 'summary.md')} and ${join(runDir, 'index.html')}`);
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
  try {
    writeFileSync(file, await c.logs());
    say(`container logs in ${file}`);
  } catch (e) {
    say(`container logs not kept: ${(e as Error).message}`);
  }
}
