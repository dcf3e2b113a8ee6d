/**
 * Everything a run is checked against before anything runs: option paths, the ICS and IXIT
 * (schema and consistency), the scenario selection, the run folder and the mock network's
 * address. The result is a plan the run executes; any mistake is a UsageError (exit 2) and
 * nothing has been contacted or written.
 */
import { join, relative, resolve } from 'node:path';
import type { ClientIdPolicy, Ics } from '../config/ics';
import { CLIENT_ID_POLICIES, referenceIcs } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { defaultIxit } from '../config/ixit';
import { ConfigError, loadIcs, loadIxit } from '../config/load';
import { checkIcs, checkIxit } from './config-checks';
import { checkConfigFile, checkReportsDir } from './input-paths';
import { checkMockBind } from './mock-bind';
import { defaultRunId } from './options';
import { packageRoot } from './package-info';
import { checkRunFolder } from './run-folder';
import type { Shard } from './shard';
import { checkShardSize, parseShard, shardOf } from './shard';
import type { Selection, SuiteScenario } from './suite-scenarios';
import { loadSuiteScenarios, selectForRun } from './suite-scenarios';
import { UsageError } from './usage-error';

export interface PlanOptions {
  target?: string;
  targetImage?: string;
  ics?: string;
  ixit?: string;
  policy?: ClientIdPolicy;
  tags?: string;
  /** Worker processes; absent = the default for the target (defaultParallel). */
  parallel?: number;
  /** `k/n`: run only shard k of n of the selection (src/cli/shard.ts). */
  shard?: string;
  runId?: string;
  reportsDir: string;
  force?: boolean;
}

export interface RunPlan {
  runId: string;
  runDir: string;
  ics: Ics;
  ixit: Ixit;
  external: boolean;
  /** Worker processes of the run (0: in the CLI's process). */
  parallel: number;
  scenarios: SuiteScenario[];
  /** What the run executes: with --shard, the shard's part of the selection. */
  selection: Selection;
  /** With --shard: which shard, and every scenario of the selection it is a shard of. */
  shard?: Shard & { of: SuiteScenario[] };
}

/**
 * Workers when --parallel is not given. The built-in server runs in this process: its scenarios
 * are CPU-bound on one machine, and workers only add start-up. A server by URL or image is
 * waited on — answers, deliveries, quiet periods — so its scenarios overlap well: four workers
 * cost four harness processes (about 100 MB each) and cut a run's waits about fourfold.
 */
export const DEFAULT_EXTERNAL_PARALLEL = 4;
export const defaultParallel = (external: boolean): number => (external ? DEFAULT_EXTERNAL_PARALLEL : 0);

/** An example file of the package, as a path from the working folder (inside node_modules when installed). */
const example = (name: string): string => relative(process.cwd(), join(packageRoot(), 'docs', 'examples', name)) || name;

function loadConfig<T>(load: (f: string) => T, file: string): T {
  try {
    return load(file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const u = new UsageError(e.message, 'correct the field(s) named above; docs/implementers.md explains every field');
    u.kind = 'configuration';
    throw u;
  }
}

/** The ICS and IXIT of a run, checked on their own (also for `list` and `preflight`). */
export function loadDeclarations(o: Pick<PlanOptions, 'ics' | 'ixit' | 'policy'>, external: boolean): { ics: Ics; ixit: Ixit } {
  if (o.ics) checkConfigFile('--ics', o.ics, example('ics.json'));
  if (o.ixit) checkConfigFile('--ixit', o.ixit, example('ixit.json'));
  const ics = o.ics ? loadConfig(loadIcs, o.ics) : referenceIcs(o.policy ?? CLIENT_ID_POLICIES[1]);
  // the suite takes the same default (src/harness/suite-config.ts)
  return { ics, ixit: o.ixit ? loadConfig(loadIxit, o.ixit) : defaultIxit(external) };
}

/** DPE_VARIANT names a variant of the built-in reference server (src/server/variants): a known one, and only for it. */
async function checkVariant(name: string | undefined, external: boolean): Promise<void> {
  if (!name) return;
  if (external) {
    throw new UsageError(
      `DPE_VARIANT=${name} is set, but the run tests an external target: a variant replaces the built-in reference server only`,
      'unset DPE_VARIANT to test the target, or drop --target/--target-image to test the variant',
    );
  }
  const { VARIANTS } = await import('../server/variants');
  if (VARIANTS.some((v) => v.name === name)) return;
  const { didYouMean } = await import('./nearest');
  throw new UsageError(
    `DPE_VARIANT=${name} names no variant of the reference server${didYouMean(
      name,
      VARIANTS.map((v) => v.name),
    )}`,
    'use a name from src/server/variants/ (mutants.ts, legal.ts), or unset DPE_VARIANT',
  );
}

export async function planRun(o: PlanOptions, root: string): Promise<RunPlan> {
  checkReportsDir(o.reportsDir);
  const external = Boolean(o.target || o.targetImage);
  const parallel = o.parallel ?? defaultParallel(external);
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  await checkVariant(process.env.DPE_VARIANT, external);
  const { ics, ixit } = loadDeclarations(o, external);
  const icsSource = o.ics ?? `the built-in ICS (policy ${ics.clientIdPolicy})`;
  const ixitSource = o.ixit ?? 'the built-in IXIT';
  const scenarios = loadSuiteScenarios(root);
  checkIcs(ics, icsSource, scenarios);
  const whole = selectForRun(scenarios, ics, o.tags);
  checkIxit(ixit, ixitSource, { external, parallel, scenarios: whole.applicable });
  if (shard) checkShardSize(whole.applicable.length, shard);
  const selection = shard ? shardSelection(whole, shard, ics) : whole;
  const runId = o.runId ?? defaultRunId();
  const runDir = resolve(o.reportsDir, runId);
  checkRunFolder(runDir, runId, o.force ?? false);
  await checkMockBind(ixit, ixitSource);
  return {
    runId,
    runDir,
    ics,
    ixit,
    external,
    parallel,
    scenarios,
    selection,
    ...(shard ? { shard: { ...shard, of: whole.tagged } } : {}),
  };
}

function shardSelection(whole: Selection, shard: Shard, ics: Ics): Selection {
  const tagged = shardOf(whole.tagged, shard, ics);
  const mine = new Set(tagged);
  return { tagged, applicable: whole.applicable.filter((s) => mine.has(s)) };
}
