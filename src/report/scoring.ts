/**
 * Scoring a run (issue 4, 5b): the verdicts of its scenarios, of every requirement, of the
 * known deviations, and the certificate's state.
 *  - a requirement's verdict is the worst of its executed scenarios (error > fail > inconclusive
 *    > pass); with none executed it is 'not applicable' when the ICS rules it out, else 'not tested';
 *  - normative force decides (src/requirements/force.ts): a failed requirement of the CR text,
 *    a CR table or the binding fails the run (a MAY only applies when the ICS declares the
 *    feature, and then it must hold); a failed derived rule is a warning and the run passes
 *    "with warnings", unless the ICS itself declared the erratum reading the rule rests on;
 *  - a scenario's verdict record names the requirements its checks judged: a failed check
 *    counts against the requirement it names even when the scenario is not tagged with it;
 *  - known deviations declared in the ICS are reported apart and do not fail the run; one whose
 *    scenarios all pass is flagged, and so is one that names nothing known;
 *  - a run that executed fewer scenarios than the declared ICS selects is partial and never a
 *    certification pass;
 *  - any 'error' verdict with no failure established makes the run an environment error.
 */
import type { Ics, IcsDeviation } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { timingBelowFloor } from '../config/timing';
import { REQUIREMENTS } from '../requirements/catalog';
import { requirementApplies, requirementIdsOf } from '../requirements/applicability';
import type { Force } from '../requirements/force';
import { forceOf, SOURCE_WORDS } from '../requirements/force';
import type { Requirement } from '../requirements/types';
import type { RunRead, RunScenario } from './run-reader';
import type { DeviationResult, RequirementResult, ScenarioResult, ShardRecord, Summary } from './summary';
import type { ScenarioVerdict, Verdict } from './verdict';

/** Verdict overwriting order, as in TTCN-3: a worse verdict is never replaced by a better one. */
const SEVERITY: Record<Verdict, number> = { pass: 0, inconclusive: 1, fail: 2, error: 3 };
export const EXECUTED = new Set<ScenarioVerdict>(['pass', 'fail', 'inconclusive', 'error']);

export function worstVerdict(vs: Verdict[]): Verdict | undefined {
  return vs.reduce<Verdict | undefined>((w, v) => (w === undefined || SEVERITY[v] > SEVERITY[w] ? v : w), undefined);
}

/** Failing it fails the run; otherwise it is a warning (src/requirements/force.ts). */
export function isBlocking(r: Requirement, ics?: Ics): boolean {
  return forceOf(r, ics) === 'fails';
}

/** The verdict of one scenario: its verdict attachment, or one read from cucumber's statuses. */
export function scenarioVerdict(s: RunScenario): { verdict: ScenarioVerdict; reason: string } {
  if (s.verdict) return { verdict: s.verdict.verdict, reason: s.verdict.reason };
  if (s.worstStatus === 'SKIPPED') {
    return { verdict: 'not applicable', reason: s.notApplicableText?.replace(/^Not applicable to the declared ICS: /, '') ?? 'skipped' };
  }
  if (s.worstStatus === 'PASSED') return { verdict: 'error', reason: 'no verdict was recorded (the report hooks did not run)' };
  return {
    verdict: 'error',
    reason: `no verdict was recorded; cucumber status ${s.worstStatus}: ${(s.statusMessage ?? '').split('\n')[0]}`,
  };
}

function coveredBy(d: IcsDeviation, s: { name: string; location: string; requirements: string[] }): boolean {
  return (
    (d.scenario !== undefined && (d.scenario === s.name || d.scenario === s.location)) ||
    (d.requirement !== undefined && s.requirements.includes(d.requirement))
  );
}

/** Every scenario's verdict, in location order, with the declared deviation that excuses a non-pass. */
export function scoreScenarios(run: RunRead, deviations: IcsDeviation[]): ScenarioResult[] {
  return run.scenarios
    .map((s) => {
      const { verdict, reason } = scenarioVerdict(s);
      const requirements = s.verdict?.requirements ?? requirementIdsOf(s.tags);
      const warnings = (s.verdict?.judged ?? [])
        .filter((j) => j.force === 'warns')
        .map(({ requirement, message }) => ({ requirement, message }));
      const r: ScenarioResult = { location: s.location, name: s.name, requirements, verdict, reason, warnings };
      if (verdict === 'fail' || verdict === 'inconclusive') {
        const d = deviations.findIndex((x) => coveredBy(x, r));
        if (d >= 0) r.deviation = d;
      }
      return r;
    })
    .sort((a, b) => a.location.localeCompare(b.location, 'en', { numeric: true }));
}

/** Every requirement of the catalog, judged by its scenarios and by the checks that named it. */
export function scoreRequirements(run: RunRead, scenarios: ScenarioResult[], ics: Ics): RequirementResult[] {
  // checks that named a requirement the scenario is not tagged with: a global check in the After hook
  const judgedIn = new Map<string, Array<{ location: string; force: Force; message: string }>>();
  for (const s of run.scenarios) {
    for (const j of s.verdict?.judged ?? []) {
      judgedIn.set(j.requirement, [...(judgedIn.get(j.requirement) ?? []), { location: s.location, force: j.force, message: j.message }]);
    }
  }
  return REQUIREMENTS.map((r) => {
    const force = forceOf(r, ics);
    const judged = judgedIn.get(r.id) ?? [];
    const mine = scenarios.filter((s) => s.requirements.includes(r.id) || judged.some((j) => j.location === s.location));
    const ran = mine.filter((s) => EXECUTED.has(s.verdict));
    const base = { id: r.id, clause: r.clause, level: r.level, source: r.source, force, scenarios: mine.map((s) => s.location) };
    // a warning-only failure leaves the scenario passing; the requirement still did not hold
    const warned = judged.find((j) => j.force === 'warns');
    if (warned && ran.every((s) => s.verdict === 'pass')) {
      return { ...base, verdict: 'fail', knownDeviation: false, reason: `${warned.location}: ${warned.message}` };
    }
    if (!ran.length) {
      const a = requirementApplies(r, ics);
      if (!a.applies) return { ...base, verdict: 'not applicable', knownDeviation: false, reason: a.reason };
      const na = mine.find((s) => s.verdict === 'not applicable');
      if (na) return { ...base, verdict: 'not applicable', knownDeviation: false, reason: `its scenarios do not apply: ${na.reason}` };
      return {
        ...base,
        verdict: 'not tested',
        knownDeviation: false,
        reason: mine.length ? 'its scenarios did not run' : 'no scenario of it in this run',
      };
    }
    const verdict = worstVerdict(ran.map((s) => s.verdict as Verdict))!;
    const bad = ran.filter((s) => s.verdict !== 'pass');
    const knownDeviation = bad.length > 0 && bad.every((s) => s.deviation !== undefined);
    const worst = bad.find((s) => s.verdict === verdict);
    return { ...base, verdict, knownDeviation, reason: worst ? `${worst.location}: ${worst.reason}` : undefined };
  });
}

/** What became of each deviation the ICS declares. */
export function scoreDeviations(deviations: IcsDeviation[], scenarios: ScenarioResult[]): DeviationResult[] {
  const executed = scenarios.filter((s) => EXECUTED.has(s.verdict));
  return deviations.map((d) => {
    const mine = executed.filter((s) => coveredBy(d, s));
    const known =
      (d.requirement && REQUIREMENTS.some((r) => r.id === d.requirement)) ||
      (d.scenario && scenarios.some((s) => coveredBy({ ...d, requirement: undefined }, s)));
    const status: DeviationResult['status'] = !mine.length
      ? known
        ? 'not-exercised'
        : 'names-nothing-known'
      : mine.every((s) => s.verdict === 'pass')
        ? 'unexpectedly-passes'
        : 'confirmed';
    return { ...d, status, scenarios: mine.map((s) => s.location) };
  });
}

export interface Scored {
  run: RunRead;
  scenarios: ScenarioResult[];
  requirements: RequirementResult[];
  deviations: DeviationResult[];
  /** Locations of the scenarios the declared ICS selects that were not executed. */
  missing: string[];
  /** How many scenarios the declared ICS selects. */
  selected: number;
  ixit: Ixit;
  /** Feature files changed on disk since the run. */
  changedSinceRun: string[];
  cucumberSuccess?: boolean;
  tags?: string;
  shard?: ShardRecord;
}

export type CertificateState = Pick<Summary, 'verdict' | 'withWarnings' | 'certified' | 'partial' | 'reasons' | 'warnings'>;

/** The run's verdict, why, its warnings, and whether it is a certification pass. */
export function certificateState(x: Scored): CertificateState {
  const { run, requirements, scenarios } = x;
  const executed = scenarios.filter((s) => EXECUTED.has(s.verdict));
  const partial = x.missing.length > 0;
  const reasons: string[] = [];
  const warnings: string[] = [];
  const byId = new Map(REQUIREMENTS.map((r) => [r.id, r]));
  const notHeld = requirements.filter((r) => (r.verdict === 'fail' || r.verdict === 'inconclusive') && !r.knownDeviation);
  for (const r of notHeld) {
    const line = `${r.id} (${SOURCE_WORDS[r.source.kind]}, ${r.level}, clause ${r.clause}) ${r.verdict === 'fail' ? 'failed' : 'is inconclusive'}: ${r.reason ?? ''}`;
    (r.force === 'fails' ? reasons : warnings).push(line);
  }
  const failedBlocking = notHeld.some((r) => r.verdict === 'fail' && r.force === 'fails');
  const inconclusiveBlocking = notHeld.some((r) => r.verdict === 'inconclusive' && r.force === 'fails');
  const warnedRequirements = notHeld.filter((r) => r.force !== 'fails');
  // a failure with no known requirement cannot be excused by a level
  const untagged = executed.filter((s) => s.verdict === 'fail' && s.deviation === undefined && !s.requirements.some((id) => byId.has(id)));
  for (const s of untagged) reasons.push(`${s.location} failed and names no known requirement: ${s.reason}`);
  for (const u of run.unowned.slice(0, 20)) reasons.push(u);
  if (run.unowned.length > 20) reasons.push(`… and ${run.unowned.length - 20} more messages no scenario can own`);
  const errors = executed.filter((s) => s.verdict === 'error');
  for (const s of errors) reasons.push(`error in ${s.location} (${s.name}): ${s.reason}`);
  const runProblems = [...run.runProblems];
  const cucumberFailed = x.cucumberSuccess === false || run.success === false;
  // any non-pass (a known deviation included) explains a failed cucumber run
  if (cucumberFailed && executed.every((s) => s.verdict === 'pass') && !run.unowned.length) {
    runProblems.push('cucumber reported a failed run that no scenario verdict explains');
  }
  reasons.push(...runProblems);
  warnings.push(...timingBelowFloor(x.ixit));
  for (const f of x.changedSinceRun) warnings.push(`${f} changed on disk after the run; the summary uses the text the run parsed`);
  for (const d of x.deviations) {
    if (d.status === 'unexpectedly-passes')
      warnings.push(`deviation ${d.requirement ?? d.scenario} unexpectedly passes: remove it from the ICS`);
    if (d.status === 'names-nothing-known')
      warnings.push(`deviation ${d.requirement ?? d.scenario} names no known requirement or scenario`);
  }

  let verdict: Verdict;
  if (failedBlocking || untagged.length || run.unowned.length) verdict = 'fail';
  else if (errors.length || runProblems.length) verdict = 'error';
  else if (inconclusiveBlocking) verdict = 'inconclusive';
  else if (!executed.length) {
    verdict = 'inconclusive';
    reasons.push('no scenario was executed');
  } else {
    verdict = 'pass';
    reasons.push(
      `${executed.length} scenarios executed; every applicable requirement of the CR text, CR tables and binding passed` +
        (warnedRequirements.length
          ? `; ${warnedRequirements.length} derived rule(s) did not hold (warnings: ${warnedRequirements.map((r) => r.id).join(', ')})`
          : ''),
    );
  }
  if (partial) {
    reasons.push(
      `partial run: ${x.missing.length} of the ${x.selected} scenarios the declared ICS selects were not executed` +
        `${x.tags ? ` (filtered with --tags ${x.tags})` : ''}${x.shard ? ` (shard ${x.shard.index}/${x.shard.total}: merge the shards with dpe-conformance merge)` : ''}` +
        '; a partial run is never a certification pass',
    );
  }
  return {
    verdict,
    withWarnings: verdict === 'pass' && warnedRequirements.length > 0,
    certified: verdict === 'pass' && !partial,
    partial,
    reasons,
    warnings,
  };
}
