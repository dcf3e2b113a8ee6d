/**
 * Reading a run: the cucumber messages NDJSON it wrote, indexed by @cucumber/query (the index
 * cucumber's own formatters use), read into the last attempt of every test case with what the
 * reports need of it: its verdict attachment (steps/support/hooks.ts), its worst step status and
 * every failed step, the failed step's text, its last sequence chart and message log. The one
 * reader of the tree: the summary scores its result (build-summary.ts), the HTML report shows
 * its details (run-details.ts), merge, trace and the harness's own suite runs read it too.
 *
 * What Query does not keep is kept here: the feature texts (source messages), every
 * testRunFinished of a merged file (the shards of a run, concatenated) and the lines that are
 * not messages at all. Messages judged after their scenario ended (late verdicts, attached to a
 * later scenario or written to the late-verdicts file) are moved back onto their scenario.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Attachment, TestCaseStarted, TestRunFinished, TestStepFinished } from '@cucumber/messages';
import { Query } from '@cucumber/query';
import { requirementIdsOf } from '../requirements/applicability';
import { parseEnvelopes } from './envelopes';
import type { LateVerdict, VerdictRecord } from './verdict';
import { LATE_VERDICT_MEDIA_TYPE, VERDICT_MEDIA_TYPE } from './verdict';

/** The first step (or hook) of a scenario that failed, as cucumber recorded it. */
export interface FailedStep {
  /** Given / When / Then (from the pickle step type), or "hook". */
  keyword: string;
  text: string;
  /** The error as cucumber recorded it (message and, for harness errors, the stack). */
  error: string;
  /** The exception's class, e.g. ConformanceFailure, SetupFailure, TypeError. */
  type: string;
}

export interface RunScenario {
  /** features/...feature:line (an Examples row for an outline) — stable across runs. */
  location: string;
  name: string;
  tags: string[];
  pickleId: string;
  /** False for a test case whose pickle the messages do not hold (its location is made up). */
  known: boolean;
  /** Its verdict record, with the late verdicts that belong to it moved onto it. */
  verdict?: VerdictRecord;
  /** The verdict record as the scenario attached it (late verdicts not included). */
  attached?: VerdictRecord;
  notApplicableText?: string;
  worstStatus: string;
  statusMessage?: string;
  /** The exception of every FAILED step, hooks included (type e.g. ConformanceFailure, SetupFailure, TargetError). */
  failures: Array<{ type: string; message: string }>;
  failedStep?: FailedStep;
  /** The last sequence chart attached (SVG text). */
  chart?: string;
  /** The message log the hooks attach to a failed scenario. */
  messageLog?: string;
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

/** cucumber's statuses, least to most severe; of equal ones the first is kept (the cause, not an after-effect). */
const STATUS_RANK: Record<string, number> = { PASSED: 0, SKIPPED: 1, UNKNOWN: 2, PENDING: 3, UNDEFINED: 4, AMBIGUOUS: 5, FAILED: 6 };
const KEYWORD: Record<string, string> = { Context: 'Given', Action: 'When', Outcome: 'Then' };
/** A message log (src/harness/trace.ts describe()): numbered entries, or none. */
const MESSAGE_LOG = /^\s*#\d+ \+\d+ms /;

const toDate = (t: { seconds: number; nanos: number }) => new Date(t.seconds * 1000 + Math.round(t.nanos / 1e6));

export function attachmentText(a: Pick<Attachment, 'body' | 'contentEncoding'>): string {
  return String(a.contentEncoding) === 'BASE64' ? Buffer.from(a.body, 'base64').toString('utf8') : a.body;
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

/** Every message of the file, indexed; what Query forgets and what could not be read, kept apart. */
function indexMessages(ndjson: string, out: RunRead): { q: Query; finishes: TestRunFinished[] } {
  const q = new Query();
  const finishes: TestRunFinished[] = [];
  // a torn or interleaved file (two runs writing one report) cannot certify anything
  const envelopes = parseEnvelopes(ndjson, (line) =>
    out.runProblems.push(`the messages file has an unreadable line: ${line.slice(0, 60)}…`),
  );
  for (const e of envelopes) {
    if (e.source) out.sources.set(e.source.uri, e.source.data);
    if (e.testRunFinished) finishes.push(e.testRunFinished);
    try {
      q.update(e);
    } catch (err) {
      out.runProblems.push(
        `the messages file has a message cucumber's query cannot index (${(err as Error).message}): ${JSON.stringify(e).slice(0, 60)}…`,
      );
    }
  }
  return { q, finishes };
}

/** The attachments of an attempt, step by step (cucumber attaches only while a step or hook runs). */
function attachmentsOf(q: Query, steps: readonly TestStepFinished[]): Attachment[] {
  return steps.flatMap((s) => q.findAttachmentsBy(s));
}

/** One attempt of a test case, read. */
function scenarioOf(q: Query, started: TestCaseStarted): RunScenario {
  const testCase = q.findTestCaseBy(started);
  const pickle = testCase ? q.findPickleBy(started) : undefined;
  const s: RunScenario = {
    location: pickle ? `${pickle.uri}:${q.findLocationOf(pickle)?.line ?? 0}` : `(unknown test case ${started.testCaseId})`,
    name: pickle?.name ?? '?',
    tags: pickle?.tags.map((t) => t.name) ?? [],
    pickleId: testCase?.pickleId ?? '',
    known: pickle !== undefined,
    worstStatus: 'PASSED',
    failures: [],
  };
  const steps = q.findTestStepsFinishedBy(started);
  for (const f of steps) {
    const r = f.testStepResult;
    const status = String(r.status);
    if (status === 'FAILED') {
      s.failures.push({ type: r.exception?.type ?? '?', message: r.exception?.message ?? r.message ?? '' });
      if (!s.failedStep) {
        const testStep = q.findTestStepBy(f);
        const pickleStep = testStep && q.findPickleStepBy(testStep);
        s.failedStep = {
          keyword: pickleStep ? (KEYWORD[String(pickleStep.type)] ?? '') : 'hook',
          text: pickleStep?.text ?? '',
          error: r.exception?.stackTrace ?? r.message ?? r.exception?.message ?? '',
          type: r.exception?.type ?? 'Error',
        };
      }
    }
    if ((STATUS_RANK[status] ?? 2) > (STATUS_RANK[s.worstStatus] ?? 2)) {
      s.worstStatus = status;
      s.statusMessage = r.exception?.message ?? r.message;
    }
  }
  for (const a of attachmentsOf(q, steps)) {
    if (a.mediaType === VERDICT_MEDIA_TYPE) s.attached = s.verdict = JSON.parse(attachmentText(a)) as VerdictRecord;
    else if (a.mediaType === 'image/svg+xml') s.chart = attachmentText(a);
    else if (a.mediaType === 'text/plain') {
      const t = attachmentText(a);
      if (t.startsWith('Not applicable')) s.notApplicableText = t;
      if (MESSAGE_LOG.test(t) || t.trim() === '(no trace)') s.messageLog = t;
    }
  }
  return s;
}

/** Moves each late verdict onto the scenario it belongs to; one nobody can own is a problem of the run. */
function applyLateVerdicts(late: LateVerdict[], byPickle: Map<string, RunScenario>, out: RunRead): void {
  for (const l of late) {
    const s = byPickle.get(l.pickleId);
    if (!s) {
      // a message nobody can own is a failure of the run (msw's onUnhandledRequest: 'error')
      out.unowned.push(
        l.pickleId
          ? `a message arrived after the end of a scenario this run does not know (${l.pickleId}): ${l.message}`
          : `a message belongs to no scenario: ${l.message}`,
      );
      continue;
    }
    const judged = [
      ...(s.verdict?.judged ?? []),
      { requirement: l.requirement, force: l.force, message: `after the scenario ended: ${l.message}` },
    ];
    const base: VerdictRecord = s.verdict ?? { verdict: 'pass', reason: 'every check held', requirements: requirementIdsOf(s.tags) };
    s.verdict =
      l.force === 'fails' && base.verdict !== 'error'
        ? { ...base, verdict: 'fail', reason: `after the scenario ended: ${l.message} (requirement ${l.requirement})`, judged }
        : { ...base, judged };
  }
}

/** The last attempt of every test case, with its verdict attachment and worst step status. */
export function readRun(ndjson: string, lateFile?: string): RunRead {
  const out: RunRead = { scenarios: [], runProblems: [], unowned: [], sources: new Map() };
  const { q, finishes } = indexMessages(ndjson, out);
  const meta = q.findMeta();
  out.cucumberVersion = meta?.implementation.version;
  out.nodeVersion = meta?.runtime.version;
  const started = q.findTestRunStarted();
  if (started) out.started = toDate(started.timestamp);
  for (const h of q.findAllTestRunHookFinished()) {
    const r = h.result;
    if (String(r.status) === 'FAILED')
      out.runProblems.push(`a BeforeAll/AfterAll hook failed: ${(r.exception?.message ?? r.message ?? '').split('\n')[0]}`);
  }
  for (const f of finishes) {
    out.finished = toDate(f.timestamp);
    out.success = f.success;
    if (f.exception) out.runProblems.push(`the run ended with an exception: ${f.exception.message ?? f.exception.type}`);
  }
  // findAllTestCaseFinished leaves out the attempts that were retried
  const byPickle = new Map<string, RunScenario>();
  for (const finished of q.findAllTestCaseFinished()) {
    const attempt = q.findTestCaseStartedBy(finished);
    if (attempt) {
      const s = scenarioOf(q, attempt);
      byPickle.set(s.pickleId, s);
    }
  }
  // late verdicts are attached by later scenarios, retried attempts included
  const late = attachmentsOf(q, q.findAllTestStepFinished())
    .filter((a) => a.mediaType === LATE_VERDICT_MEDIA_TYPE)
    .flatMap((a) => lateVerdictsIn(attachmentText(a)));
  if (lateFile && existsSync(lateFile)) late.push(...lateVerdictsIn(readFileSync(lateFile, 'utf8')));
  applyLateVerdicts(late, byPickle, out);
  out.scenarios = [...byPickle.values()];
  return out;
}
