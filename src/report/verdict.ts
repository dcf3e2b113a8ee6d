/**
 * Verdicts in the conformance-testing sense, for one executed scenario:
 *  - pass: every check held;
 *  - fail: a check about the target's behaviour failed while the scenario exercised it (a
 *    ConformanceFailure in a When/Then step) or the target sent a malformed message;
 *  - inconclusive: the expected behaviour could not be observed — the set-up (a Given step, or
 *    a SetupFailure in any step) did not come about, or an optional feature answered as if it
 *    were not there;
 *  - error: a harness or environment fault (no answer, connection refused, any other exception).
 * A scenario that does not apply to the declared ICS is 'not applicable'; it never counts as a pass.
 * The hooks attach the verdict to the report with VERDICT_MEDIA_TYPE; run-reader.ts reads it back.
 */
import { ConformanceFailure, SetupFailure } from '../harness/expect';
import { TargetError } from '../harness/target';
import type { TraceEntry } from '../harness/trace';
import type { WaitsRecord } from '../harness/wait-ledger';
import { REQUIREMENTS } from '../requirements/catalog';

export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'error';
export type ScenarioVerdict = Verdict | 'not applicable';

export const VERDICT_MEDIA_TYPE = 'application/vnd.dpe.verdict+json';

/** A check that did not hold, with the requirement it judges and that requirement's force. */
export interface JudgedCheck {
  requirement: string;
  force: 'fails' | 'warns';
  message: string;
}

/** The body of a verdict attachment. */
export interface VerdictRecord {
  verdict: ScenarioVerdict;
  reason: string;
  /** Requirement ids the scenario is tagged with. */
  requirements: string[];
  /** Every check of the scenario that did not hold: failures (the first one decides the verdict) and warnings. */
  judged?: JudgedCheck[];
  /** What the scenario spent waiting on the target, by kind (src/harness/wait-ledger.ts); absent in records of older harnesses. */
  waits?: WaitsRecord;
}

/**
 * A message judged after its scenario ended (it arrived late). The next scenario attaches it with
 * LATE_VERDICT_MEDIA_TYPE; what arrives after the last scenario goes to the late-verdicts file
 * ($DPE_LATE_VERDICTS_FILE, NDJSON). run-reader.ts moves each back onto the scenario it belongs to;
 * one with an empty pickleId belongs to no scenario and is a problem of the run.
 */
export interface LateVerdict extends JudgedCheck {
  pickleId: string;
  scenario: string;
}
export const LATE_VERDICT_MEDIA_TYPE = 'application/vnd.dpe.late-verdict+json';
/** Its name in $DPE_TRACE_DIR when $DPE_LATE_VERDICTS_FILE is not set. */
export const LATE_VERDICTS_FILE = 'late-verdicts.ndjson';

/**
 * A message the target sent that no scenario could own, as a late verdict of the run (summary:
 * unowned): it fails the run, as the binding's rule for messages nobody asked for says.
 */
export function unownedVerdict(u: { why: string; body: string }): LateVerdict {
  return {
    pickleId: '',
    scenario: '(none)',
    requirement: 'binding.rejected-no-state-change',
    force: 'fails',
    message: `${u.why}: ${u.body.slice(0, 200)}`,
  };
}

/** Where the hooks write the late verdicts of the run's end, if anywhere. */
export function lateVerdictsPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.DPE_LATE_VERDICTS_FILE ?? (env.DPE_TRACE_DIR ? `${env.DPE_TRACE_DIR}/${LATE_VERDICTS_FILE}` : undefined);
}

/** The first step (or hook) of a scenario that failed, with the thrown value. */
export interface StepFailure {
  /** Gherkin step type: Context (Given), Action (When), Outcome (Then); 'hook' for a hook. */
  stepType: 'Context' | 'Action' | 'Outcome' | 'Unknown' | 'hook';
  stepText: string;
  error: unknown;
}

export interface VerdictInput {
  /** Final cucumber status of the scenario (PASSED, FAILED, UNDEFINED, ...). */
  status: string;
  /** cucumber's own message for the status, when there is no recorded failure. */
  statusMessage?: string;
  failure?: StepFailure;
  /** Messages from the target that break the message catalog. */
  malformed: TraceEntry[];
  /** The whole trace (to find the answer an optional feature gave). */
  trace: TraceEntry[];
  requirements: string[];
}

export interface VerdictOutcome extends VerdictRecord {
  verdict: Verdict;
  /** seq numbers of the entries the verdict is about (red in the chart). */
  highlight: number[];
}

/** HTTP statuses that say "this endpoint / feature is not here". */
const ABSENT = new Set([404, 405, 501]);

function firstLine(s: string): string {
  const [line = ''] = s.split('\n', 1);
  return line.slice(0, 400);
}

// by name too: a failure thrown by another copy of the harness module is no instance of this one's class
function isConformanceFailure(e: unknown): e is ConformanceFailure {
  return e instanceof ConformanceFailure || ['ConformanceFailure', 'SetupFailure'].includes((e as Error | undefined)?.name ?? '');
}

function isSetupFailure(e: unknown): e is SetupFailure {
  return e instanceof SetupFailure || (e as Error | undefined)?.name === 'SetupFailure';
}

function stepWord(f: StepFailure): string {
  const word = { Context: 'Given', Action: 'When', Outcome: 'Then', Unknown: '', hook: 'hook' }[f.stepType];
  return word === 'hook' ? 'a hook' : `step "${word ? `${word} ` : ''}${f.stepText}"`;
}

export function decideVerdict(x: VerdictInput): VerdictOutcome {
  const requirements = x.requirements;
  const malformedSeqs = x.malformed.map((e) => e.seq);
  const done = (verdict: Verdict, reason: string, highlight: number[] = []): VerdictOutcome => ({
    verdict,
    reason,
    requirements,
    highlight: [...new Set([...highlight, ...malformedSeqs])].sort((a, b) => a - b),
  });
  const malformedReason = () =>
    `the target sent ${x.malformed.length} message(s) that break the message catalog: ` +
    x.malformed.map((e) => `#${e.seq} ${e.messageType} to ${e.to}`).join(', ');

  const f = x.failure;
  if (f && isConformanceFailure(f.error)) {
    const seqs = f.error.entries.map((e) => e.seq);
    const msg = firstLine(f.error.message);
    if (x.malformed.length) return done('fail', `${malformedReason()}; ${msg}`, seqs);
    // a set-up that did not come about says nothing about the rule under test
    if (f.stepType === 'Context' || isSetupFailure(f.error)) {
      return done('inconclusive', `set-up could not be established (${stepWord(f)}): ${msg}`, seqs);
    }
    const optional = requirements.map((id) => REQUIREMENTS.find((r) => r.id === id)).filter((r) => r?.status.kind === 'optional');
    const absent = x.trace.find((e) => e.kind === 'answer' && e.from !== 'harness' && e.status !== undefined && ABSENT.has(e.status));
    if (optional.length && absent) {
      return done(
        'inconclusive',
        `optional feature ${optional.map((r) => r!.id).join(', ')} answered ${absent.status} to ${absent.to} (#${absent.seq}), ` +
          `as if it were not implemented, although the ICS declares it: ${msg}`,
        [absent.seq, ...seqs],
      );
    }
    return done('fail', `${stepWord(f)}: ${msg}`, seqs);
  }
  if (x.malformed.length) return done('fail', malformedReason());
  if (f) {
    const e = f.error as Error | undefined;
    const what = e instanceof TargetError ? 'the target did not answer' : `harness or environment fault (${e?.name ?? typeof f.error})`;
    const noAnswer =
      e instanceof TargetError
        ? x.trace
            .filter((t) => t.messageType === 'no answer')
            .map((t) => t.seq)
            .slice(-1)
        : [];
    return done('error', `${what} in ${stepWord(f)}: ${firstLine(e?.message ?? String(f.error))}`, noAnswer);
  }
  switch (x.status) {
    case 'PASSED':
      return done('pass', 'every check held');
    case 'FAILED':
      return done('error', `a hook failed: ${firstLine(x.statusMessage ?? 'no message')}`);
    case 'UNDEFINED':
    case 'AMBIGUOUS':
    case 'PENDING':
      return done(
        'error',
        `the suite is broken: a step is ${x.status.toLowerCase()}${x.statusMessage ? `: ${firstLine(x.statusMessage)}` : ''}`,
      );
    default:
      return done('error', `unexpected scenario status ${x.status}${x.statusMessage ? `: ${firstLine(x.statusMessage)}` : ''}`);
  }
}
