/**
 * The certificate of a run, summary.json: what was tested, with which declarations and which
 * suite, and the verdicts — per scenario, per requirement, of the known deviations and of the
 * run. Made by build-summary.ts from the run's cucumber messages (run-reader.ts), scored by
 * scoring.ts, rendered as summary.md and requirements.junit.xml by summary-render.ts and
 * requirements-junit.ts.
 */
import type { Ics, IcsDeviation } from '../config/ics';
import type { Ixit } from '../config/ixit';
import type { Force } from '../requirements/force';
import type { Requirement, Source } from '../requirements/types';
import type { WaitsRecord } from '../harness/wait-ledger';
import type { ScenarioVerdict, Verdict } from './verdict';

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

/** The wait ledgers of a run's scenarios added up (Summary.waits). */
export interface RunWaits {
  scenarios: number;
  byKind: WaitsRecord;
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
  /**
   * Where the time went: what the executed scenarios spent waiting on the target, by kind
   * (src/harness/wait-ledger.ts), added up over every scenario whose verdict record has a ledger
   * (`scenarios` of them; a merged run adds up its shards). Absent when none has one.
   */
  waits?: RunWaits;
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

/** 0: pass (also a partial pass, which summary.certified marks as no certificate); 1: not conformant or inconclusive; 2: environment error. */
export function exitCodeFor(s: Pick<Summary, 'verdict'>): 0 | 1 | 2 {
  return s.verdict === 'pass' ? 0 : s.verdict === 'error' ? 2 : 1;
}
