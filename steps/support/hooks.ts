/**
 * Per-worker set-up (the harness context: target, mock network, SPs) and per-scenario set-up
 * and checks: every message the target sent must match the message catalog. Every executed
 * scenario gets its verdict (src/report/verdict.ts) and its message sequence chart attached to
 * the report, and its raw trace written as NDJSON into $DPE_TRACE_DIR when that is set.
 */
import { After, AfterAll, AfterStep, Before, BeforeAll, Status } from '@cucumber/cucumber';
import type { Pickle } from '@cucumber/messages';
import { HarnessContext } from '../../src/harness/context';
import { Scenario } from '../../src/harness/scenario';
import { resolveSuiteConfig } from '../../src/harness/suite-config';
import { describeProblem } from '../../src/catalog/validate';
import { ConformanceFailure } from '../../src/harness/expect';
import { buildVariant } from '../../src/server/variants';
import { requirementIdsOf, scenarioApplies } from '../../src/requirements/applicability';
import { renderSequenceChart } from '../../src/report/sequence-chart';
import { decideVerdict, VERDICT_MEDIA_TYPE, type StepFailure, type VerdictOutcome, type VerdictRecord } from '../../src/report/verdict';
import { writeTraceFile } from '../../src/report/trace-file';
import type { DpeWorld } from './world';

let ctx: HarnessContext | undefined;

/** Per scenario (keyed by its World): the first failing step, and why it does not apply. */
const failures = new WeakMap<object, StepFailure>();
const notApplicable = new WeakMap<object, string>();
const charted = new WeakSet<object>();

BeforeAll({ timeout: 30_000 }, async function (this: { parameters: Record<string, unknown> }) {
  const config = resolveSuiteConfig(this.parameters);
  ctx = await HarnessContext.start({
    ...config,
    buildEmbedded: config.variant ? (o) => buildVariant(config.variant!, o) : undefined,
  });
});

AfterAll(async function () {
  await ctx?.stop();
});

Before(function (this: DpeWorld, { pickle }) {
  if (!ctx) throw new Error('the harness did not start (see BeforeAll)');
  this.s = new Scenario(ctx);
  ctx.network.attach(this.s.route);
  const tags = pickle.tags.map((t) => t.name);
  const a = scenarioApplies(tags, ctx.ics);
  if (a.unknownIds.length) throw new Error(`the scenario names unknown requirement ids: ${a.unknownIds.join(', ')}`);
  if (!a.applies) {
    // reported as skipped with the reason, never silently dropped; a skip is not a pass
    notApplicable.set(this, a.reason ?? 'not applicable');
    this.attach(`Not applicable to the declared ICS: ${a.reason}`, 'text/plain');
    return 'skipped';
  }
  return undefined;
});

/** The verdict of a scenario so far, from its first failure and its trace. */
function verdictOf(world: DpeWorld, pickle: Pickle, result: { status: unknown; message?: string } | undefined): { v: VerdictOutcome; s?: Scenario } {
  let s: Scenario | undefined;
  try {
    s = world.s;
  } catch {
    s = undefined; // Before failed before the scenario existed; the verdict says error
  }
  const v = decideVerdict({
    status: String(result?.status ?? 'UNKNOWN'),
    statusMessage: result?.message,
    failure: failures.get(world),
    malformed: s?.malformed() ?? [],
    trace: s?.trace.entries ?? [],
    requirements: requirementIdsOf(pickle.tags.map((t) => t.name)),
  });
  return { v, s };
}

/** The sequence chart with the messages the verdict is about in red; the HTML report renders SVG only from a Buffer. */
function attachChart(world: DpeWorld, pickle: Pickle, v: VerdictOutcome, s: Scenario | undefined): void {
  const svg = renderSequenceChart(s?.trace.entries ?? [], { highlight: v.highlight, title: `${pickle.name} \u2014 ${v.verdict}` });
  world.attach(Buffer.from(svg), { mediaType: 'image/svg+xml', fileName: `sequence chart (${v.verdict}).svg` });
  charted.add(world);
}

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

After(async function (this: DpeWorld, { pickle, result }) {
  ctx?.network.detach();
  const requirements = requirementIdsOf(pickle.tags.map((t) => t.name));
  const why = notApplicable.get(this);
  if (why !== undefined) {
    const record: VerdictRecord = { verdict: 'not applicable', reason: why, requirements };
    this.attach(JSON.stringify(record), { mediaType: VERDICT_MEDIA_TYPE, fileName: 'verdict.json' });
    return;
  }
  const { v, s } = verdictOf(this, pickle, result);
  const entries = s?.trace.entries ?? [];
  const bad = s?.malformed() ?? [];
  if (result?.status === Status.FAILED || bad.length) {
    this.attach(s ? s.trace.describe() : '  (no trace)', 'text/plain');
  }
  if (!charted.has(this)) attachChart(this, pickle, v, s);
  const record: VerdictRecord = { verdict: v.verdict, reason: v.reason, requirements };
  this.attach(JSON.stringify(record), { mediaType: VERDICT_MEDIA_TYPE, fileName: 'verdict.json' });
  const dir = process.env.DPE_TRACE_DIR;
  if (dir) writeTraceFile(dir, pickle.name, pickle.id, entries);
  if (bad.length && result?.status === Status.PASSED) {
    throw new ConformanceFailure(
      'the target sent messages that break the message catalog:\n' +
        bad.map((e) => `  #${e.seq} ${e.from} -> ${e.to}: ${e.problems.map(describeProblem).join('; ')}`).join('\n'),
      bad,
    );
  }
});
