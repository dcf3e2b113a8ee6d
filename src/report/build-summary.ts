/**
 * The certificate of a run (summary.ts), built from the cucumber messages NDJSON the run wrote
 * (read by run-reader.ts), the declared ICS and IXIT, and the feature files: the run is read,
 * the ICS selection taken from the suite as the run saw it, the run scored (scoring.ts), and the
 * certificate given what identifies the suite, the declarations and the harness.
 *
 * API: buildSummary(input) -> Summary; written by writeSummary (summary-render.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Ixit } from '../config/ixit';
import { QUIET_FLOOR_MS, SETTLE_FLOOR_MS, settleWindowOf } from '../config/timing';
import { buildInfo, COMPILED } from '../cli/package-info';
import { scenarioApplies } from '../requirements/applicability';
import { jsonDigest, suiteDigest } from './digests';
import { readRun } from './run-reader';
import { certificateState, EXECUTED, scoreDeviations, scoreRequirements, scoreScenarios } from './scoring';
import { suiteScenarios } from './suite-scenarios';
import { runWaits } from './time-spent';
import type { RequirementVerdict, Summary, SummaryInput, Totals } from './summary';
import type { ScenarioVerdict } from './verdict';
import { LATE_VERDICTS_FILE } from './verdict';

const SCENARIO_VERDICTS: ScenarioVerdict[] = ['pass', 'fail', 'inconclusive', 'error', 'not applicable'];
const REQUIREMENT_VERDICTS: RequirementVerdict[] = [...SCENARIO_VERDICTS, 'not tested'];

/** The suite's package root: the nearest folder above this module with package.json and features/; else the cwd. */
export function packageRoot(from = __dirname): string {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'features'))) return d;
    if (dirname(d) === d) return process.cwd();
  }
}

function redactIxit(ixit: Ixit): Ixit {
  return { ...ixit, serviceProviders: ixit.serviceProviders.map((sp) => ({ ...sp, token: '(redacted)' })) };
}

/** Version and commit of the harness at `root`; a failing look-up leaves the commit unknown, never the run. */
function harnessOf(root: string): Summary['harness'] {
  try {
    const info = buildInfo(root);
    return { version: info.version, commit: info.commit ?? null };
  } catch {
    return { version: 'unknown', commit: null };
  }
}

const count = <K extends string>(keys: K[], vs: K[]): Totals<K> =>
  Object.fromEntries(keys.map((k) => [k, vs.filter((v) => v === k).length])) as Totals<K>;

export function buildSummary(input: SummaryInput): Summary {
  const root = resolve(input.root ?? packageRoot());
  const featuresDir = input.featuresDir ?? join(root, 'features');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const run = readRun(
    input.messages ?? readFileSync(input.messagesFile, 'utf8'),
    input.lateVerdictsFile ?? (input.runDir ? join(input.runDir, 'traces', LATE_VERDICTS_FILE) : undefined),
  );
  const suite = suiteScenarios(featuresDir, root, run.sources);

  // the full selection of the declared ICS, whatever the run was filtered with
  const selected = suite.scenarios.filter((s) => scenarioApplies(s.tags, input.ics, input.ixit).applies);
  const scenarios = scoreScenarios(run, input.ics.deviations ?? []);
  const executed = scenarios.filter((s) => EXECUTED.has(s.verdict));
  const executedAt = new Set(executed.map((s) => s.location));
  const missing = selected.map((s) => s.location).filter((l) => !executedAt.has(l));
  const requirements = scoreRequirements(run, scenarios, input.ics);
  const deviations = scoreDeviations(input.ics.deviations ?? [], scenarios);
  const state = certificateState({
    run,
    scenarios,
    requirements,
    deviations,
    missing,
    selected: selected.length,
    ixit: input.ixit,
    changedSinceRun: suite.changedSinceRun,
    cucumberSuccess: input.cucumberSuccess,
    tags: input.tags,
    shard: input.shard,
  });

  const started = input.startedAt ?? run.started ?? new Date(0);
  const finished = input.finishedAt ?? run.finished ?? started;
  // a merged run's messages are its shards' together: their ledgers add up here
  const waits = runWaits(run);
  return {
    format: 'dpe-conformance-summary/1',
    runId: input.runId,
    verdict: state.verdict,
    withWarnings: state.withWarnings,
    certified: state.certified,
    partial: state.partial,
    reasons: state.reasons,
    warnings: state.warnings,
    suite: {
      name: pkg.name,
      version: pkg.version,
      digest: suiteDigest(root, COMPILED).digest,
      featuresDigest: suite.digest,
      featureFiles: suite.files,
    },
    target: input.target,
    ...(input.targetLog ? { targetLog: input.targetLog } : {}),
    implementation: input.ics.implementation,
    ics: { file: input.icsFile ? resolve(input.icsFile) : null, digest: jsonDigest(input.ics), declared: input.ics },
    ixit: {
      file: input.ixitFile ? resolve(input.ixitFile) : null,
      digest: jsonDigest(redactIxit(input.ixit)),
      declared: redactIxit(input.ixit),
    },
    shard: input.shard ?? null,
    ...(input.mergedFrom ? { mergedFrom: input.mergedFrom } : {}),
    tags: input.tags ?? null,
    timing: {
      ...input.ixit.timing,
      settleWindowUsedMs: settleWindowOf(input.ixit),
      floors: { quietPeriodMs: QUIET_FLOOR_MS, settleWindowMs: SETTLE_FLOOR_MS },
    },
    startedAt: started.toISOString(),
    durationMs: Math.max(0, finished.getTime() - started.getTime()),
    ...(waits ? { waits } : {}),
    selection: {
      selected: selected.length,
      executed: executed.length,
      notApplicable: scenarios.filter((s) => s.verdict === 'not applicable').length,
      missing,
      keys: input.selectionKeys ?? scenarios.map((s) => s.location),
    },
    totals: {
      scenarios: count(
        SCENARIO_VERDICTS,
        scenarios.map((s) => s.verdict),
      ),
      requirements: count(
        REQUIREMENT_VERDICTS,
        requirements.map((r) => r.verdict),
      ),
    },
    requirements,
    scenarios,
    deviations,
    versions: { node: run.nodeVersion ?? process.versions.node, suite: pkg.version, cucumber: run.cucumberVersion ?? 'unknown' },
    command: input.command,
    referenceVariant: input.referenceVariant ?? null,
    harness: harnessOf(root),
  };
}
