/**
 * The certificate of a run: summary.json and summary.md, built from the cucumber messages
 * NDJSON the run wrote (pickles, results and the verdict attachments of steps/support/hooks.ts),
 * the declared ICS and IXIT, and the feature files.
 *
 * Scoring (issue 4, 5b):
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
 *
 * API: buildSummary(input) -> Summary; writeSummary(runDir, summary); exitCodeFor(summary).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import type { Ics, IcsDeviation } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { buildInfo } from '../cli/package-info';
import { renderRequirementsJunit } from './requirements-junit';
import { QUIET_FLOOR_MS, SETTLE_FLOOR_MS, settleWindowOf, timingBelowFloor } from '../config/timing';
import { REQUIREMENTS } from '../requirements/catalog';
import { requirementApplies, requirementIdsOf, scenarioApplies } from '../requirements/applicability';
import { featureFiles, scenarioLines, scenariosOf } from '../requirements/features';
import { forceOf, SOURCE_WORDS, type Force } from '../requirements/force';
import type { Requirement, Source } from '../requirements/types';
import { LATE_VERDICT_MEDIA_TYPE, LATE_VERDICTS_FILE, VERDICT_MEDIA_TYPE, type LateVerdict, type ScenarioVerdict, type Verdict, type VerdictRecord } from './verdict';
import { jsonDigest, suiteDigest } from './digests';
import { COMPILED } from '../cli/package-info';

export interface SummaryInput {
  /** The cucumber messages NDJSON of the run. */
  messagesFile: string;
  /** Late verdicts judged after the last scenario (steps/support/hooks.ts); absent = <run dir>/traces/late-verdicts.ndjson when there is one. */
  lateVerdictsFile?: string;
  /** What was tested, for people: a URL, an image, or "built-in reference server". */
  target: string;
  /** File in the run folder holding the target's own log (a container target), if any. */
  targetLog?: string;
  ics: Ics;
  ixit: Ixit;
  /** Paths of the ICS and IXIT files; absent = built-in defaults. */
  icsFile?: string;
  ixitFile?: string;
  /** The exact command that reproduces the run (the "Reproduce" section), DPE_VARIANT=… included when set. */
  command: string;
  /** The variant of the built-in reference server the run tested (DPE_VARIANT), if any. */
  referenceVariant?: string;
  /** The run's cucumber messages as text, when they are not (yet) in messagesFile (a formatter scoring the run it reports). */
  messages?: string;
  runId?: string;
  runDir?: string;
  /** The --tags expression the run was filtered with, if any. */
  tags?: string;
  /** Default: the run's testRunStarted / testRunFinished messages. */
  startedAt?: Date;
  finishedAt?: Date;
  /** Whether cucumber itself reported success (a failing BeforeAll leaves no scenario verdict). */
  cucumberSuccess?: boolean;
  /** Package root holding package.json and features/ (default: packageRoot(), the suite's own). Pickle uris are relative to it. */
  root?: string;
  /** Feature directory (default: <root>/features). */
  featuresDir?: string;
  /** The shard this run was (run --shard k/n), with every scenario of the selection it is a shard of. */
  shard?: ShardRecord;
  /** Locations of the scenarios this run was asked to run (after --tags and --shard); default: the ones it reported. */
  selectionKeys?: string[];
  /** The shard runs this summary merges (dpe-conformance merge). */
  mergedFrom?: MergedShard[];
}

/** A shard of a sharded run (src/cli/shard.ts): shard `index` of `total`, out of the selection `of`. */
export interface ShardRecord {
  index: number;
  total: number;
  /** Locations of every scenario of the sharded selection (all shards together), sorted. */
  of: string[];
}

/** One shard run a merged summary was made from. */
export interface MergedShard {
  runId?: string;
  shard: string;
  summary: string;
  verdict: Verdict;
  startedAt: string;
  durationMs: number;
  scenarios: number;
  /** The shard's own command line. */
  command: string;
}

export type RequirementVerdict = ScenarioVerdict | 'not tested';

export interface ScenarioResult {
  /** features/...feature:line — stable across runs. */
  location: string;
  name: string;
  requirements: string[];
  verdict: ScenarioVerdict;
  reason: string;
  /** Checks of rules that only warn (derived) which did not hold: the scenario still passes. */
  warnings: Array<{ requirement: string; message: string }>;
  /** Index into Summary.deviations of the known deviation that excuses a non-pass. */
  deviation?: number;
}

export interface RequirementResult {
  id: string;
  clause: string;
  level: Requirement['level'];
  source: Source;
  /** What its failure does: fails the run, warns, or informs (src/requirements/force.ts). */
  force: Force;
  verdict: RequirementVerdict;
  /** Locations of its scenarios in this run. */
  scenarios: string[];
  /** Every non-pass of it is excused by a declared deviation. */
  knownDeviation: boolean;
  reason?: string;
}

export interface DeviationResult extends IcsDeviation {
  /** confirmed: its scenarios still fail; unexpectedly-passes: flagged, update the ICS. */
  status: 'confirmed' | 'unexpectedly-passes' | 'not-exercised' | 'names-nothing-known';
  scenarios: string[];
}

export type Totals<K extends string> = Record<K, number>;

export interface Summary {
  format: 'dpe-conformance-summary/1';
  runId?: string;
  verdict: Verdict;
  /** A pass with failed checks of rules that only warn (Autobahn's NON-STRICT). */
  withWarnings: boolean;
  /** A certification pass: verdict pass on the full ICS selection. */
  certified: boolean;
  partial: boolean;
  /** Why the verdict is what it is (failed requirements, errors, partial run). */
  reasons: string[];
  warnings: string[];
  /** digest: features and the code that judges them (src/report/digests.ts); featuresDigest: the feature files alone. */
  suite: { name: string; version: string; digest: string; featuresDigest: string; featureFiles: number };
  target: string;
  targetLog?: string;
  implementation: Ics['implementation'];
  ics: { file: string | null; digest: string; declared: Ics };
  /** SP tokens are redacted (and so is what the digest is taken over). */
  ixit: { file: string | null; digest: string; declared: Ixit };
  /** The shard this run was (run --shard k/n); null: the whole selection. */
  shard: ShardRecord | null;
  /** The shard runs this summary was merged from (dpe-conformance merge). */
  mergedFrom?: MergedShard[];
  tags: string | null;
  /** The timing the run judged with (IXIT), the settle window it used, and the documented floors. */
  timing: Ixit['timing'] & { settleWindowUsedMs: number; floors: { quietPeriodMs: number; settleWindowMs: number } };
  startedAt: string;
  durationMs: number;
  /** keys: locations of the scenarios this run was asked to run (after --tags and --shard). */
  selection: { selected: number; executed: number; notApplicable: number; missing: string[]; keys: string[] };
  totals: { scenarios: Totals<ScenarioVerdict>; requirements: Totals<RequirementVerdict> };
  requirements: RequirementResult[];
  scenarios: ScenarioResult[];
  deviations: DeviationResult[];
  versions: { node: string; suite: string; cucumber: string };
  command: string;
  /** DPE_VARIANT: the variant of the built-in reference server tested (a faulty or legal variant), null for the reference server itself or an external target. */
  referenceVariant: string | null;
  /** The harness that judged the run: its version and commit (git in a checkout, dist/build-info.json in a package; null when unknown). */
  harness: { version: string; commit: string | null };
}

const SCENARIO_VERDICTS: ScenarioVerdict[] = ['pass', 'fail', 'inconclusive', 'error', 'not applicable'];
const REQUIREMENT_VERDICTS: RequirementVerdict[] = [...SCENARIO_VERDICTS, 'not tested'];
/** Verdict overwriting order, as in TTCN-3: a worse verdict is never replaced by a better one. */
const SEVERITY: Record<Verdict, number> = { pass: 0, inconclusive: 1, fail: 2, error: 3 };
const EXECUTED = new Set<ScenarioVerdict>(['pass', 'fail', 'inconclusive', 'error']);

export function worstVerdict(vs: Verdict[]): Verdict | undefined {
  return vs.reduce<Verdict | undefined>((w, v) => (w === undefined || SEVERITY[v] > SEVERITY[w] ? v : w), undefined);
}

/** Failing it fails the run; otherwise it is a warning (src/requirements/force.ts). */
export function isBlocking(r: Requirement, ics?: Ics): boolean {
  return forceOf(r, ics) === 'fails';
}

// ---- reading the cucumber messages --------------------------------------------------------

export interface RunScenario {
  location: string;
  name: string;
  tags: string[];
  verdict?: VerdictRecord;
  notApplicableText?: string;
  worstStatus: string;
  statusMessage?: string;
  /** The exception of every FAILED step, hooks included (type e.g. ConformanceFailure, TargetError). */
  failures: Array<{ type: string; message: string }>;
}

export interface RunRead {
  scenarios: RunScenario[];
  started?: Date;
  finished?: Date;
  success?: boolean;
  runProblems: string[];
  /** Messages the target sent that no scenario can own (they fail the run). */
  unowned: string[];
  cucumberVersion?: string;
  nodeVersion?: string;
  /** uri -> text of every feature file as the run parsed it (cucumber emits all, filtered or not). */
  sources: Map<string, string>;
}

const STATUS_RANK: Record<string, number> = { PASSED: 0, SKIPPED: 1, UNKNOWN: 2, PENDING: 3, UNDEFINED: 4, AMBIGUOUS: 5, FAILED: 6 };
const toDate = (t: { seconds: number; nanos: number }) => new Date(t.seconds * 1000 + Math.round(t.nanos / 1e6));

function attachmentText(a: { body: string; contentEncoding: string }): string {
  return String(a.contentEncoding) === 'BASE64' ? Buffer.from(a.body, 'base64').toString('utf8') : a.body;
}

/** The last attempt of every test case, with its verdict attachment and worst step status. */
export function readRun(ndjson: string, lateFile?: string): RunRead {
  const lineOf = new Map<string, number>();
  const pickles = new Map<string, { location: string; name: string; tags: string[] }>();
  const caseToPickle = new Map<string, string>();
  const attempts = new Map<string, RunScenario & { pickleId: string }>();
  const finalByPickle = new Map<string, RunScenario>();
  const out: RunRead = { scenarios: [], runProblems: [], unowned: [], sources: new Map() };
  const lateVerdicts: LateVerdict[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    let e: Envelope;
    try {
      e = JSON.parse(line) as Envelope;
    } catch {
      // a torn or interleaved file (two runs writing one report) cannot certify anything
      out.runProblems.push(`the messages file has an unreadable line: ${line.slice(0, 60)}…`);
      continue;
    }
    if (e.meta) {
      out.cucumberVersion = e.meta.implementation.version;
      out.nodeVersion = e.meta.runtime.version;
    } else if (e.source) out.sources.set(e.source.uri, e.source.data);
    else if (e.gherkinDocument) scenarioLines(e.gherkinDocument, lineOf);
    else if (e.pickle) {
      const p = e.pickle;
      const line = lineOf.get(p.astNodeIds.at(-1)!) ?? lineOf.get(p.astNodeIds[0]) ?? 0;
      pickles.set(p.id, { location: `${p.uri}:${line}`, name: p.name, tags: p.tags.map((t) => t.name) });
    } else if (e.testCase) caseToPickle.set(e.testCase.id, e.testCase.pickleId);
    else if (e.testCaseStarted) {
      const pickleId = caseToPickle.get(e.testCaseStarted.testCaseId) ?? '';
      const p = pickles.get(pickleId) ?? { location: `(unknown test case ${e.testCaseStarted.testCaseId})`, name: '?', tags: [] };
      attempts.set(e.testCaseStarted.id, { ...p, pickleId, worstStatus: 'PASSED', failures: [] });
    } else if (e.testStepFinished) {
      const a = attempts.get(e.testStepFinished.testCaseStartedId);
      const r = e.testStepFinished.testStepResult;
      const status = String(r.status);
      if (a && status === 'FAILED') a.failures.push({ type: r.exception?.type ?? '?', message: r.exception?.message ?? r.message ?? '' });
      if (a && (STATUS_RANK[status] ?? 2) > (STATUS_RANK[a.worstStatus] ?? 2)) {
        a.worstStatus = status;
        a.statusMessage = r.exception?.message ?? r.message;
      }
    } else if (e.attachment?.testCaseStartedId) {
      const a = attempts.get(e.attachment.testCaseStartedId);
      if (!a) continue;
      if (e.attachment.mediaType === VERDICT_MEDIA_TYPE) a.verdict = JSON.parse(attachmentText(e.attachment)) as VerdictRecord;
      // messages judged after their scenario ended change that scenario's verdict, not this one's
      else if (e.attachment.mediaType === LATE_VERDICT_MEDIA_TYPE) lateVerdicts.push(...lateVerdictsIn(attachmentText(e.attachment)));
      else if (e.attachment.mediaType === 'text/plain') {
        const t = attachmentText(e.attachment);
        if (t.startsWith('Not applicable')) a.notApplicableText = t;
      }
    } else if (e.testCaseFinished) {
      const a = attempts.get(e.testCaseFinished.testCaseStartedId);
      if (a && !e.testCaseFinished.willBeRetried) finalByPickle.set(a.pickleId, a);
    } else if (e.testRunStarted) out.started = toDate(e.testRunStarted.timestamp);
    else if (e.testRunHookFinished) {
      const r = e.testRunHookFinished.result;
      if (String(r.status) === 'FAILED') out.runProblems.push(`a BeforeAll/AfterAll hook failed: ${(r.exception?.message ?? r.message ?? '').split('\n')[0]}`);
    } else if (e.testRunFinished) {
      out.finished = toDate(e.testRunFinished.timestamp);
      out.success = e.testRunFinished.success;
      if (e.testRunFinished.exception) out.runProblems.push(`the run ended with an exception: ${e.testRunFinished.exception.message ?? e.testRunFinished.exception.type}`);
    }
  }
  if (lateFile && existsSync(lateFile)) lateVerdicts.push(...lateVerdictsIn(readFileSync(lateFile, 'utf8')));
  for (const l of lateVerdicts) {
    const s = finalByPickle.get(l.pickleId);
    if (!s) {
      // a message nobody can own is a failure of the run (msw's onUnhandledRequest: 'error')
      out.unowned.push(l.pickleId ? `a message arrived after the end of a scenario this run does not know (${l.pickleId}): ${l.message}` : `a message belongs to no scenario: ${l.message}`);
      continue;
    }
    const judged = [...(s.verdict?.judged ?? []), { requirement: l.requirement, force: l.force, message: `after the scenario ended: ${l.message}` }];
    const base: VerdictRecord = s.verdict ?? { verdict: 'pass', reason: 'every check held', requirements: requirementIdsOf(s.tags) };
    s.verdict =
      l.force === 'fails' && base.verdict !== 'error'
        ? { ...base, verdict: 'fail', reason: `after the scenario ended: ${l.message} (requirement ${l.requirement})`, judged }
        : { ...base, judged };
  }
  out.scenarios = [...finalByPickle.values()];
  return out;
}

/** Late verdicts, one JSON object per line (an attachment or the late-verdicts file). */
export function lateVerdictsIn(text: string): LateVerdict[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LateVerdict];
      } catch {
        return [];
      }
    });
}

/** The verdict of one scenario: its verdict attachment, or one read from cucumber's statuses. */
export function scenarioVerdict(s: RunScenario): { verdict: ScenarioVerdict; reason: string } {
  if (s.verdict) return { verdict: s.verdict.verdict, reason: s.verdict.reason };
  if (s.worstStatus === 'SKIPPED') {
    return { verdict: 'not applicable', reason: s.notApplicableText?.replace(/^Not applicable to the declared ICS: /, '') ?? 'skipped' };
  }
  if (s.worstStatus === 'PASSED') return { verdict: 'error', reason: 'no verdict was recorded (the report hooks did not run)' };
  return { verdict: 'error', reason: `no verdict was recorded; cucumber status ${s.worstStatus}: ${(s.statusMessage ?? '').split('\n')[0]}` };
}

// ---- suite identity -----------------------------------------------------------------------

export interface SuiteScenarios {
  /** SHA-256 over every feature file's path and text, in path order. */
  digest: string;
  files: number;
  /** Every scenario (pickle) with its location (features/...feature:line) and tags. */
  scenarios: { location: string; name: string; tags: string[] }[];
  /** Feature files whose text on disk differs from the text the run parsed. */
  changedSinceRun: string[];
}

/**
 * The suite as the run saw it: every feature file under featuresDir, taken from the run's own
 * `source` messages where it has them (so a file edited after the run still matches the
 * results) and from disk otherwise (files the run did not load).
 */
export function suiteScenarios(featuresDir: string, root: string, runSources: Map<string, string> = new Map()): SuiteScenarios {
  const texts = new Map(runSources);
  const changedSinceRun: string[] = [];
  for (const f of featureFiles(featuresDir)) {
    const uri = relative(root, f).split('\\').join('/');
    const disk = readFileSync(f, 'utf8');
    const ran = runSources.get(uri);
    if (ran === undefined) texts.set(uri, disk);
    else if (ran !== disk) changedSinceRun.push(uri);
  }
  const uris = [...texts.keys()].sort();
  const h = createHash('sha256');
  const scenarios: SuiteScenarios['scenarios'] = [];
  for (const uri of uris) {
    const text = texts.get(uri)!;
    h.update(uri).update('\0').update(text).update('\0');
    for (const sc of scenariosOf(uri, text)) scenarios.push({ location: sc.location, name: sc.name, tags: sc.tags });
  }
  return { digest: `sha256:${h.digest('hex')}`, files: uris.length, scenarios, changedSinceRun };
}

function redactIxit(ixit: Ixit): Ixit {
  return { ...ixit, serviceProviders: ixit.serviceProviders.map((sp) => ({ ...sp, token: '(redacted)' })) };
}

// ---- scoring ------------------------------------------------------------------------------

function coveredBy(d: IcsDeviation, s: { name: string; location: string; requirements: string[] }): boolean {
  return (d.scenario !== undefined && (d.scenario === s.name || d.scenario === s.location)) || (d.requirement !== undefined && s.requirements.includes(d.requirement));
}

/** The suite's package root: the nearest folder above this module with package.json and features/; else the cwd. */
export function packageRoot(from = __dirname): string {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'features'))) return d;
    if (dirname(d) === d) return process.cwd();
  }
}

export function buildSummary(input: SummaryInput): Summary {
  const root = resolve(input.root ?? packageRoot());
  const featuresDir = input.featuresDir ?? join(root, 'features');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const run = readRun(input.messages ?? readFileSync(input.messagesFile, 'utf8'), input.lateVerdictsFile ?? (input.runDir ? join(input.runDir, 'traces', LATE_VERDICTS_FILE) : undefined));
  const suite = suiteScenarios(featuresDir, root, run.sources);

  // the full selection of the declared ICS, whatever the run was filtered with
  const selected = suite.scenarios.filter((s) => scenarioApplies(s.tags, input.ics, input.ixit).applies);

  const deviations = input.ics.deviations ?? [];
  const scenarios: ScenarioResult[] = run.scenarios
    .map((s) => {
      const { verdict, reason } = scenarioVerdict(s);
      const requirements = s.verdict?.requirements ?? requirementIdsOf(s.tags);
      const warnings = (s.verdict?.judged ?? []).filter((j) => j.force === 'warns').map(({ requirement, message }) => ({ requirement, message }));
      const r: ScenarioResult = { location: s.location, name: s.name, requirements, verdict, reason, warnings };
      if (verdict === 'fail' || verdict === 'inconclusive') {
        const d = deviations.findIndex((x) => coveredBy(x, r));
        if (d >= 0) r.deviation = d;
      }
      return r;
    })
    .sort((a, b) => a.location.localeCompare(b.location, 'en', { numeric: true }));

  const executed = scenarios.filter((s) => EXECUTED.has(s.verdict));
  const executedAt = new Set(executed.map((s) => s.location));
  const missing = selected.map((s) => s.location).filter((l) => !executedAt.has(l));
  const partial = missing.length > 0;

  // checks that named a requirement the scenario is not tagged with: a global check in the After hook
  const judgedIn = new Map<string, Array<{ location: string; force: Force; message: string }>>();
  for (const s of run.scenarios) {
    for (const j of s.verdict?.judged ?? []) {
      judgedIn.set(j.requirement, [...(judgedIn.get(j.requirement) ?? []), { location: s.location, force: j.force, message: j.message }]);
    }
  }
  const requirements: RequirementResult[] = REQUIREMENTS.map((r) => {
    const force = forceOf(r, input.ics);
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
      const a = requirementApplies(r, input.ics);
      if (!a.applies) return { ...base, verdict: 'not applicable', knownDeviation: false, reason: a.reason };
      const na = mine.find((s) => s.verdict === 'not applicable');
      if (na) return { ...base, verdict: 'not applicable', knownDeviation: false, reason: `its scenarios do not apply: ${na.reason}` };
      return { ...base, verdict: 'not tested', knownDeviation: false, reason: mine.length ? 'its scenarios did not run' : 'no scenario of it in this run' };
    }
    const verdict = worstVerdict(ran.map((s) => s.verdict as Verdict))!;
    const bad = ran.filter((s) => s.verdict !== 'pass');
    const knownDeviation = bad.length > 0 && bad.every((s) => s.deviation !== undefined);
    const worst = bad.find((s) => s.verdict === verdict);
    return { ...base, verdict, knownDeviation, reason: worst ? `${worst.location}: ${worst.reason}` : undefined };
  });

  const deviationResults: DeviationResult[] = deviations.map((d) => {
    const mine = executed.filter((s) => coveredBy(d, s));
    const known = (d.requirement && REQUIREMENTS.some((r) => r.id === d.requirement)) || (d.scenario && scenarios.some((s) => coveredBy({ ...d, requirement: undefined }, s)));
    const status: DeviationResult['status'] = !mine.length
      ? known ? 'not-exercised' : 'names-nothing-known'
      : mine.every((s) => s.verdict === 'pass') ? 'unexpectedly-passes' : 'confirmed';
    return { ...d, status, scenarios: mine.map((s) => s.location) };
  });

  // ---- the run's verdict
  const reasons: string[] = [];
  const warnings: string[] = [];
  const byId = new Map(REQUIREMENTS.map((r) => [r.id, r]));
  for (const r of requirements) {
    if ((r.verdict === 'fail' || r.verdict === 'inconclusive') && !r.knownDeviation) {
      const line = `${r.id} (${SOURCE_WORDS[r.source.kind]}, ${r.level}, clause ${r.clause}) ${r.verdict === 'fail' ? 'failed' : 'is inconclusive'}: ${r.reason ?? ''}`;
      (r.force === 'fails' ? reasons : warnings).push(line);
    }
  }
  const failedBlocking = requirements.some((r) => r.verdict === 'fail' && !r.knownDeviation && r.force === 'fails');
  const inconclusiveBlocking = requirements.some((r) => r.verdict === 'inconclusive' && !r.knownDeviation && r.force === 'fails');
  const warnedRequirements = requirements.filter((r) => (r.verdict === 'fail' || r.verdict === 'inconclusive') && !r.knownDeviation && r.force !== 'fails');
  // a failure with no known requirement cannot be excused by a level
  const untagged = executed.filter((s) => s.verdict === 'fail' && s.deviation === undefined && !s.requirements.some((id) => byId.has(id)));
  for (const s of untagged) reasons.push(`${s.location} failed and names no known requirement: ${s.reason}`);
  for (const u of run.unowned.slice(0, 20)) reasons.push(u);
  if (run.unowned.length > 20) reasons.push(`… and ${run.unowned.length - 20} more messages no scenario can own`);
  const errors = executed.filter((s) => s.verdict === 'error');
  for (const s of errors) reasons.push(`error in ${s.location} (${s.name}): ${s.reason}`);
  const runProblems = [...run.runProblems];
  const cucumberFailed = input.cucumberSuccess === false || run.success === false;
  // any non-pass (a known deviation included) explains a failed cucumber run
  if (cucumberFailed && executed.every((s) => s.verdict === 'pass') && !run.unowned.length) {
    runProblems.push('cucumber reported a failed run that no scenario verdict explains');
  }
  reasons.push(...runProblems);
  warnings.push(...timingBelowFloor(input.ixit));
  for (const f of suite.changedSinceRun) warnings.push(`${f} changed on disk after the run; the summary uses the text the run parsed`);
  for (const d of deviationResults) {
    if (d.status === 'unexpectedly-passes') warnings.push(`deviation ${d.requirement ?? d.scenario} unexpectedly passes: remove it from the ICS`);
    if (d.status === 'names-nothing-known') warnings.push(`deviation ${d.requirement ?? d.scenario} names no known requirement or scenario`);
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
        (warnedRequirements.length ? `; ${warnedRequirements.length} derived rule(s) did not hold (warnings: ${warnedRequirements.map((r) => r.id).join(', ')})` : ''),
    );
  }
  if (partial) {
    reasons.push(
      `partial run: ${missing.length} of the ${selected.length} scenarios the declared ICS selects were not executed` +
        `${input.tags ? ` (filtered with --tags ${input.tags})` : ''}${input.shard ? ` (shard ${input.shard.index}/${input.shard.total}: merge the shards with dpe-conformance merge)` : ''}` +
        '; a partial run is never a certification pass',
    );
  }

  const started = input.startedAt ?? run.started ?? new Date(0);
  const finished = input.finishedAt ?? run.finished ?? started;
  const count = <K extends string>(keys: K[], vs: K[]): Totals<K> =>
    Object.fromEntries(keys.map((k) => [k, vs.filter((v) => v === k).length])) as Totals<K>;

  return {
    format: 'dpe-conformance-summary/1',
    runId: input.runId,
    verdict,
    withWarnings: verdict === 'pass' && warnedRequirements.length > 0,
    certified: verdict === 'pass' && !partial,
    partial,
    reasons,
    warnings,
    suite: { name: pkg.name, version: pkg.version, digest: suiteDigest(root, COMPILED).digest, featuresDigest: suite.digest, featureFiles: suite.files },
    target: input.target,
    ...(input.targetLog ? { targetLog: input.targetLog } : {}),
    implementation: input.ics.implementation,
    ics: { file: input.icsFile ? resolve(input.icsFile) : null, digest: jsonDigest(input.ics), declared: input.ics },
    ixit: { file: input.ixitFile ? resolve(input.ixitFile) : null, digest: jsonDigest(redactIxit(input.ixit)), declared: redactIxit(input.ixit) },
    shard: input.shard ?? null,
    ...(input.mergedFrom ? { mergedFrom: input.mergedFrom } : {}),
    tags: input.tags ?? null,
    timing: { ...input.ixit.timing, settleWindowUsedMs: settleWindowOf(input.ixit), floors: { quietPeriodMs: QUIET_FLOOR_MS, settleWindowMs: SETTLE_FLOOR_MS } },
    startedAt: started.toISOString(),
    durationMs: Math.max(0, finished.getTime() - started.getTime()),
    selection: {
      selected: selected.length,
      executed: executed.length,
      notApplicable: scenarios.filter((s) => s.verdict === 'not applicable').length,
      missing,
      keys: input.selectionKeys ?? scenarios.map((s) => s.location),
    },
    totals: {
      scenarios: count(SCENARIO_VERDICTS, scenarios.map((s) => s.verdict)),
      requirements: count(REQUIREMENT_VERDICTS, requirements.map((r) => r.verdict)),
    },
    requirements,
    scenarios,
    deviations: deviationResults,
    versions: { node: run.nodeVersion ?? process.versions.node, suite: pkg.version, cucumber: run.cucumberVersion ?? 'unknown' },
    command: input.command,
    referenceVariant: input.referenceVariant ?? null,
    harness: harnessOf(root),
  };
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

/** 0: pass (also a partial pass, which summary.certified marks as no certificate); 1: not conformant or inconclusive; 2: environment error. */
export function exitCodeFor(s: Pick<Summary, 'verdict'>): 0 | 1 | 2 {
  return s.verdict === 'pass' ? 0 : s.verdict === 'error' ? 2 : 1;
}

// ---- writing ------------------------------------------------------------------------------

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const VERDICT_WORD: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE', error: 'ERROR' };

export function headline(s: Summary): string {
  const w = s.withWarnings ? ' with warnings' : '';
  if (s.verdict === 'pass') return s.certified ? `PASS${w} — certification pass${w}` : `PASS${w} (partial run — not a certification pass)`;
  return `${VERDICT_WORD[s.verdict]}${s.partial ? ' (partial run)' : ''}`;
}

export function renderSummaryMarkdown(s: Summary): string {
  const L: string[] = [];
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  L.push(`# DPE conformance run${s.runId ? ` ${s.runId}` : ''}: ${headline(s)}`, '');
  L.push('| | |', '|---|---|');
  L.push(`| Implementation | ${cell(`${s.implementation.name} ${s.implementation.version}`)} |`);
  L.push(`| Target | ${cell(s.target)} |`);
  if (s.referenceVariant) L.push(`| Reference variant | \`${cell(s.referenceVariant)}\` (DPE_VARIANT: a variant of the built-in reference server, src/server/variants/) |`);
  if (s.targetLog) L.push(`| Target log | [${cell(s.targetLog)}](${s.targetLog}) |`);
  L.push(`| ICS | ${cell(s.ics.file ?? '(built-in reference ICS)')} |`);
  L.push(`| IXIT | ${cell(s.ixit.file ?? '(built-in defaults)')} |`);
  L.push(`| Suite | ${cell(`${s.suite.name} ${s.suite.version}`)}, ${s.suite.featureFiles} feature files, \`${s.suite.featuresDigest}\` |`);
  if (s.harness) L.push(`| Harness | ${cell(`${s.suite.name} ${s.harness.version}`)}, ${s.harness.commit ? `commit \`${cell(s.harness.commit)}\`` : 'commit unknown'} |`);
  L.push(`| Started | ${s.startedAt} |`, `| Duration | ${secs(s.durationMs)} |`);
  L.push(`| Timing | delivery deadline ${s.timing.deliveryDeadlineMs} ms, quiet period ${s.timing.quietPeriodMs} ms, settle window ${s.timing.settleWindowUsedMs} ms (floors ${s.timing.floors.quietPeriodMs} / ${s.timing.floors.settleWindowMs} ms) |`);
  L.push(`| Tags | ${s.tags ? `\`${cell(s.tags)}\`` : '(none: the whole ICS selection)'} |`);
  if (s.shard) L.push(`| Shard | ${s.shard.index}/${s.shard.total}: ${s.selection.keys.length} of the ${s.shard.of.length} selected scenarios |`);
  if (s.mergedFrom) L.push(`| Merged from | ${s.mergedFrom.map((m) => `shard ${m.shard} (${m.runId ?? m.summary}, ${m.verdict}, ${secs(m.durationMs)})`).join('; ')} |`);
  L.push(`| Scenarios | ${s.selection.executed} executed of ${s.selection.selected} selected by the ICS${s.partial ? ' — **partial**' : ''}; ${s.selection.notApplicable} not applicable |`);
  L.push('');
  L.push('## Verdict', '', `**${headline(s)}**`, '');
  for (const r of s.reasons) L.push(`- ${r}`);
  if (s.warnings.length) {
    L.push('', 'Warnings (do not fail the run):', '');
    for (const w of s.warnings) L.push(`- ${w}`);
  }
  L.push('', '## Totals', '', '| | pass | fail | inconclusive | error | not applicable | not tested |', '|---|---|---|---|---|---|---|');
  const t = s.totals;
  L.push(`| scenarios | ${t.scenarios.pass} | ${t.scenarios.fail} | ${t.scenarios.inconclusive} | ${t.scenarios.error} | ${t.scenarios['not applicable']} | – |`);
  L.push(`| requirements | ${t.requirements.pass} | ${t.requirements.fail} | ${t.requirements.inconclusive} | ${t.requirements.error} | ${t.requirements['not applicable']} | ${t.requirements['not tested']} |`);
  L.push('', '## Requirements', '', '| requirement | clause | level | source | force | verdict | scenarios | why |', '|---|---|---|---|---|---|---|---|');
  for (const r of s.requirements) {
    const v = `${r.verdict}${r.knownDeviation ? ' (known deviation)' : ''}${r.verdict === 'fail' && r.force === 'warns' ? ' (warning)' : ''}`;
    L.push(`| ${r.id} | ${r.clause} | ${r.level} | ${SOURCE_WORDS[r.source.kind]}: ${cell(r.source.where)} | ${r.force} | ${v} | ${r.scenarios.length} | ${cell(r.verdict === 'pass' ? '' : (r.reason ?? ''))} |`);
  }
  L.push('', '## Known deviations', '');
  if (!s.deviations.length) L.push('None declared in the ICS.');
  else {
    L.push('| deviation | reason | link | status | scenarios |', '|---|---|---|---|---|');
    for (const d of s.deviations) {
      const what = [d.requirement && `requirement ${d.requirement}`, d.scenario && `scenario "${d.scenario}"`].filter(Boolean).join(', ');
      L.push(`| ${cell(what)} | ${cell(d.reason)} | ${cell(d.link ?? '')} | ${d.status}${d.status === 'unexpectedly-passes' ? ' ⚠' : ''} | ${cell(d.scenarios.join(', '))} |`);
    }
  }
  if (s.selection.missing.length) {
    L.push('', '## Selected but not executed', '');
    for (const m of s.selection.missing.slice(0, 50)) L.push(`- ${m}`);
    if (s.selection.missing.length > 50) L.push(`- … and ${s.selection.missing.length - 50} more (summary.json lists them all)`);
  }
  L.push('', '## Scenarios', '', '| verdict | scenario | location | reason |', '|---|---|---|---|');
  for (const sc of s.scenarios) {
    const v = `${sc.verdict}${sc.deviation !== undefined ? ' (known deviation)' : ''}`;
    L.push(`| ${v} | ${cell(sc.name)} | ${sc.location} | ${cell(sc.verdict === 'pass' ? '' : sc.reason)} |`);
  }
  L.push('', '## ICS', '', '```json', JSON.stringify(s.ics.declared, null, 2), '```');
  L.push('', '## IXIT (SP tokens redacted)', '', '```json', JSON.stringify(s.ixit.declared, null, 2), '```');
  L.push('', '## Reproduce', '', '```sh', s.command, '```', '');
  L.push(`Versions: node ${s.versions.node}, ${s.suite.name} ${s.versions.suite}${s.harness?.commit ? ` (commit ${s.harness.commit})` : ''}, cucumber-js ${s.versions.cucumber}; features \`${s.suite.featuresDigest}\`.`, '');
  return L.join('\n');
}

/** Writes summary.json and summary.md into runDir; returns their paths. */
export function writeSummary(runDir: string, summary: Summary): { json: string; md: string } {
  if (!existsSync(runDir)) mkdirSync(runDir, { recursive: true });
  const json = join(runDir, 'summary.json');
  const md = join(runDir, 'summary.md');
  writeFileSync(json, JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(md, renderSummaryMarkdown(summary));
  writeFileSync(join(runDir, 'requirements.junit.xml'), renderRequirementsJunit(summary));
  return { json, md };
}
