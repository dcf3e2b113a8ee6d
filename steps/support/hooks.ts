/**
 * Per-worker set-up (the harness context: target, mock network, SPs) and per-scenario set-up
 * and checks: every message the target sent must match the message catalog, and the
 * scenario's trace is attached to the report when it fails.
 */
import { After, AfterAll, Before, BeforeAll, Status } from '@cucumber/cucumber';
import { HarnessContext } from '../../src/harness/context';
import { Scenario } from '../../src/harness/scenario';
import { resolveSuiteConfig } from '../../src/harness/suite-config';
import { describeProblem } from '../../src/catalog/validate';
import { ConformanceFailure } from '../../src/harness/expect';
import { buildVariant } from '../../src/server/variants';
import { scenarioApplies } from '../../src/requirements/applicability';
import type { DpeWorld } from './world';

let ctx: HarnessContext | undefined;

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
    this.attach(`Not applicable to the declared ICS: ${a.reason}`, 'text/plain');
    return 'skipped';
  }
  return undefined;
});

After(async function (this: DpeWorld, { result }) {
  const s = this.s;
  ctx?.network.detach();
  const bad = s.malformed();
  if (result?.status === Status.FAILED || bad.length) {
    this.attach(s.trace.describe(), 'text/plain');
  }
  if (bad.length && result?.status === Status.PASSED) {
    throw new ConformanceFailure(
      'the target sent messages that break the message catalog:\n' +
        bad.map((e) => `  #${e.seq} ${e.from} -> ${e.to}: ${e.problems.map(describeProblem).join('; ')}`).join('\n'),
      bad,
    );
  }
});
