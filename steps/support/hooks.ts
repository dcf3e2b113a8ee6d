/**
 * Per-worker set-up (the harness context: target, mock network, SPs) and per-scenario set-up and
 * judgement. Every executed scenario settles after its last step and everything it received is
 * judged (src/harness/settle.ts); its verdict — with every check that did not hold, failures and
 * warnings — and its message sequence chart are attached to the report, and its raw trace written
 * as NDJSON into $DPE_TRACE_DIR when that is set. At the end of the run, messages that arrived
 * after their scenario ended are judged again and reported against that scenario.
 */
import { After, AfterAll, AfterStep, Before, BeforeAll, BeforeStep, setDefaultTimeout, Status } from '@cucumber/cucumber';
import { MAX_DELIVERY_DEADLINE_MS } from '../../src/config/ixit';
import type { Pickle } from '@cucumber/messages';
import { HarnessContext } from '../../src/harness/context';
import { enterSettle, enterStep, leaveScenario } from '../../src/harness/gherkin-frame';
import { TargetStoppedAnswering } from '../../src/harness/target';
import { Scenario } from '../../src/harness/scenario';
import { resolveSuiteConfig } from '../../src/harness/suite-config';
import { lateVerdicts, settleAndJudge } from '../../src/harness/settle';
import { buildVariantProfile } from '../../src/harness/variant-profile';
import { harnessCanStage, requirementIdsOf, scenarioApplies } from '../../src/requirements/applicability';
import { renderSequenceChart } from '../../src/report/sequence-chart';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LateVerdict, StepFailure, VerdictOutcome, VerdictRecord } from '../../src/report/verdict';
import { decideVerdict, LATE_VERDICT_MEDIA_TYPE, lateVerdictsPath, unownedVerdict, VERDICT_MEDIA_TYPE } from '../../src/report/verdict';
import { writeTraceFile } from '../../src/report/trace-file';
import type { DpeWorld } from './world';
import { releasesLookedAt } from './release-steps';

/**
 * Every step bounds its own waits by the IXIT (answer and delivery deadlines, each at most
 * MAX_DELIVERY_DEADLINE_MS), which is only known once a run starts; cucumber's step timeout is a
 * safety net against a harness bug, so it must never cut a wait the IXIT allows short.
 */
const STEP_SAFETY_NET_MS = 3 * MAX_DELIVERY_DEADLINE_MS;
setDefaultTimeout(STEP_SAFETY_NET_MS);

let ctx: HarnessContext | undefined;
/** Finished scenarios, kept to judge their late messages at the end of the run. */
const finished: Scenario[] = [];
const RETAINED = 500;
/** An After hook still running after this long says at which phase (diagnosis of a stuck run). */
const AFTER_WATCHDOG_MS = 20_000;

/** Per scenario (keyed by its World): the first failing step, and why it does not apply. */
const failures = new WeakMap<object, StepFailure>();
const notApplicable = new WeakMap<object, string>();
const charted = new WeakSet<object>();

/**
 * A target that answered the preflight and then stopped answering while this worker onboarded
 * its SPs (a worker of a parallel run starts later than the preflight): a verdict on the target,
 * given to each scenario of the worker, not a crash of the run.
 */
let startFailure: TargetStoppedAnswering | undefined;

BeforeAll({ timeout: STEP_SAFETY_NET_MS }, async function (this: { parameters: Record<string, unknown> }) {
  // a suite worker (src/harness/suite-worker.ts) runs one suite after another in this process
  finished.length = 0;
  startFailure = undefined;
  const config = resolveSuiteConfig(this.parameters);
  try {
    ctx = await HarnessContext.start({
      ...config,
      buildEmbedded: config.variant ? (o) => buildVariantProfile(config.variant!, o) : undefined,
    });
  } catch (e) {
    if (!(e instanceof TargetStoppedAnswering)) throw e;
    startFailure = e;
  }
});

AfterAll({ timeout: 60_000 }, async () => {
  if (!ctx) return;
  // the last scenario's late traffic: wait until the mock network has been quiet a while
  await ctx.network.quiet(Math.min(ctx.ixit.timing.deliveryDeadlineMs, Math.max(500, 4 * ctx.ixit.timing.quietPeriodMs)));
  const late: LateVerdict[] = [
    ...lateVerdicts(finished),
    ...ctx.network.unattributed
      .filter((u) => !u.during)
      .slice(0, 50)
      .map(unownedVerdict),
  ];
  await ctx.stop();
  if (!late.length) return;
  // an AfterAll hook that throws ends cucumber's run unfinished: report, never throw
  const file = lateVerdictsPath();
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${late.map((l) => JSON.stringify(l)).join('\n')}\n`, { flag: 'a' });
  }
  process.stderr.write(
    `dpe-conformance: ${late.length} message(s) were judged after their scenario ended, or belong to no scenario${file ? ` (written to ${file})` : ''}:\n` +
      late.map((l) => `  ${l.scenario}: ${l.message} (requirement ${l.requirement}, ${l.force})\n`).join(''),
  );
  if (late.some((l) => l.force === 'fails')) process.exitCode = 1;
});

Before(function (this: DpeWorld, { pickle }) {
  if (startFailure) {
    failures.set(this, { stepType: 'hook', stepText: 'the onboarding of the SPs', error: startFailure });
    throw startFailure;
  }
  if (!ctx) throw new Error('the harness did not start (see BeforeAll)');
  const s = new Scenario(ctx);
  s.pickleId = pickle.id;
  s.pickleName = pickle.name;
  // only a scenario that looks at releases waits for those its set-up caused (steps/support/release-steps.ts)
  s.releasesJudgedAt = new Set(pickle.steps.flatMap((st) => releasesLookedAt(st.text)));
  this.s = s;
  ctx.network.attach(s.route);
  const tags = pickle.tags.map((t) => t.name);
  const a = scenarioApplies(tags, ctx.ics, ctx.ixit);
  if (a.unknownIds.length) throw new Error(`the scenario names unknown requirement ids: ${a.unknownIds.join(', ')}`);
  const unknownNeeds = harnessCanStage(tags, ctx.ixit).unknownNeeds;
  if (unknownNeeds.length)
    throw new Error(`the scenario needs what the harness does not know: ${unknownNeeds.map((n) => `@needs-${n}`).join(', ')}`);
  if (!a.applies) {
    // reported as skipped with the reason, never silently dropped; a skip is not a pass
    notApplicable.set(this, a.reason ?? 'not applicable');
    this.attach(`Not applicable to the declared ICS: ${a.reason}`, 'text/plain');
    return 'skipped';
  }
  return undefined;
});

function scenarioOf(world: DpeWorld): Scenario | undefined {
  try {
    return world.s;
  } catch {
    return undefined; // Before failed before the scenario existed; the verdict says error
  }
}

/** The verdict of a scenario so far, from its first failure and its trace. */
function verdictOf(
  world: DpeWorld,
  pickle: Pickle,
  result: { status: unknown; message?: string } | undefined,
  failure = failures.get(world),
): { v: VerdictOutcome; s?: Scenario } {
  const s = scenarioOf(world);
  const v = decideVerdict({
    status: String(result?.status ?? 'UNKNOWN'),
    statusMessage: result?.message,
    failure,
    malformed: s?.malformed() ?? [],
    trace: s?.trace.entries ?? [],
    requirements: requirementIdsOf(pickle.tags.map((t) => t.name)),
  });
  return { v, s };
}

/** The sequence chart with the messages the verdict is about in red; the HTML report renders SVG only from a Buffer. */
function attachChart(world: DpeWorld, pickle: Pickle, v: VerdictOutcome, s: Scenario | undefined): void {
  const svg = renderSequenceChart(s?.trace.entries ?? [], {
    highlight: v.highlight,
    missed: s?.trace.missed,
    title: `${pickle.name} \u2014 ${v.verdict}`,
  });
  world.attach(Buffer.from(svg), { mediaType: 'image/svg+xml', fileName: `sequence chart (${v.verdict}).svg` });
  charted.add(world);
}

// a failure about the target names the feature step it happened in (src/harness/gherkin-frame.ts)
BeforeStep(({ gherkinDocument, pickle, pickleStep }) => enterStep(gherkinDocument, pickle, pickleStep));

// The error object of a failed step reaches only this hook (After sees the last step's). The
// chart is attached here, to the failing or last step, because the HTML report folds hooks away.
AfterStep(function (this: DpeWorld, { pickle, pickleStep, result, error }) {
  const failed = result?.status === Status.FAILED;
  if (failed && !failures.has(this)) {
    failures.set(this, { stepType: (pickleStep.type ?? 'Unknown') as StepFailure['stepType'], stepText: pickleStep.text, error });
  }
  if (charted.has(this)) return;
  if (failed || (result?.status === Status.PASSED && pickle.steps.at(-1)?.id === pickleStep.id)) {
    const { v, s } = verdictOf(this, pickle, failed ? { status: 'FAILED' } : result);
    attachChart(this, pickle, v, s);
  }
});

After({ timeout: 60_000 }, async function (this: DpeWorld, { gherkinDocument, pickle, result }) {
  const requirements = requirementIdsOf(pickle.tags.map((t) => t.name));
  const why = notApplicable.get(this);
  const s = scenarioOf(this);
  if (why !== undefined) {
    ctx?.network.detach();
    if (s) s.route.ended = true;
    const record: VerdictRecord = { verdict: 'not applicable', reason: why, requirements };
    this.attach(JSON.stringify(record), { mediaType: VERDICT_MEDIA_TYPE, fileName: 'verdict.json' });
    return;
  }
  // a scenario's end is bounded by its deadlines: one that overstays says where, for the run's log
  let phase = 'judging earlier scenarios again';
  const watchdog = setTimeout(
    () => process.stderr.write(`dpe-conformance: "${pickle.name}" is still ending after ${AFTER_WATCHDOG_MS} ms, at: ${phase}\n`),
    AFTER_WATCHDOG_MS,
  );
  watchdog.unref();
  // what earlier scenarios received late is judged now, and moved back onto them by the run reader (src/report/run-reader.ts)
  const late = lateVerdicts(finished);
  if (late.length)
    this.attach(late.map((l) => JSON.stringify(l)).join('\n'), { mediaType: LATE_VERDICT_MEDIA_TYPE, fileName: 'late-verdicts.ndjson' });
  // everything the scenario received is judged once it has settled
  let settleError: unknown;
  if (s) {
    phase = 'settling and judging';
    enterSettle(gherkinDocument, pickle);
    try {
      await settleAndJudge(s, result?.status === Status.FAILED || failures.has(this));
    } catch (e) {
      settleError = e;
    }
    finished.push(s);
    if (finished.length > RETAINED) finished.shift();
  }
  // an SP's outage ends with its scenario: closed ports open, unanswered messages are cut off
  phase = 'ending SP faults';
  await ctx?.network.endFaults();
  phase = 'writing the verdict';
  ctx?.network.detach();
  const failure =
    failures.get(this) ?? (settleError ? { stepType: 'hook' as const, stepText: 'the settled judgement', error: settleError } : undefined);
  const { v } = verdictOf(this, pickle, settleError ? { status: 'FAILED' } : result, failure);
  if (result?.status === Status.FAILED || settleError) this.attach(s ? s.trace.describe() : '  (no trace)', 'text/plain');
  const warnings = s?.judgement.warnings() ?? [];
  if (warnings.length)
    this.attach(
      `Warnings (derived rules that did not hold; they do not fail the run):\n${warnings.map((w) => `  - ${w.message}`).join('\n')}`,
      'text/plain',
    );
  if (!charted.has(this) || settleError) attachChart(this, pickle, v, s);
  const record: VerdictRecord = {
    verdict: v.verdict,
    reason: v.reason,
    requirements,
    judged: s?.judgement.all() ?? [],
    // where its time went, settle window included (the summary and the bench add these up)
    ...(s ? { waits: s.trace.waits.record() } : {}),
  };
  this.attach(JSON.stringify(record), { mediaType: VERDICT_MEDIA_TYPE, fileName: 'verdict.json' });
  const dir = process.env.DPE_TRACE_DIR;
  if (dir) writeTraceFile(dir, pickle.name, pickle.id, s?.trace.entries ?? [], s?.trace.missed);
  clearTimeout(watchdog);
  leaveScenario();
  if (settleError) throw settleError;
});
