/**
 * What the HTML report shows of each scenario beyond its verdict, read from the run's cucumber
 * messages: the step that failed with its error text, the last sequence chart the hooks
 * attached, the message log attached on failure, and the checks its verdict record lists.
 * Keyed by location (features/...feature:line), as summary.ts keys scenarios.
 */
import type { Envelope } from '@cucumber/messages';
import { scenarioLines } from '../requirements/features';
import { VERDICT_MEDIA_TYPE, type JudgedCheck, type VerdictRecord } from './verdict';

export interface FailedStep {
  /** Given / When / Then (from the pickle step type), or "hook". */
  keyword: string;
  text: string;
  /** The error as cucumber recorded it (message and, for harness errors, the stack). */
  error: string;
  /** The exception's class, e.g. ConformanceFailure, TypeError. */
  type: string;
}

export interface ScenarioDetails {
  location: string;
  failedStep?: FailedStep;
  /** The last sequence chart attached (SVG text). */
  chart?: string;
  /** The message log the hooks attach to a failed scenario. */
  messageLog?: string;
  judged: JudgedCheck[];
}

const KEYWORD: Record<string, string> = { Context: 'Given', Action: 'When', Outcome: 'Then' };

function text(a: { body: string; contentEncoding: string }): string {
  return String(a.contentEncoding) === 'BASE64' ? Buffer.from(a.body, 'base64').toString('utf8') : a.body;
}

/** The details of every scenario's last attempt, by location. */
export function readRunDetails(ndjson: string): Map<string, ScenarioDetails> {
  const lineOf = new Map<string, number>();
  const pickles = new Map<string, { location: string; steps: Map<string, { keyword: string; text: string }> }>();
  const cases = new Map<string, { pickleId: string; stepToPickleStep: Map<string, string> }>();
  const attempts = new Map<string, { pickleId: string; stepToPickleStep: Map<string, string>; d: ScenarioDetails }>();
  const out = new Map<string, ScenarioDetails>();
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    let e: Envelope;
    try {
      e = JSON.parse(line) as Envelope;
    } catch {
      continue; // summary.ts reports an unreadable file; the page shows what it can
    }
    if (e.gherkinDocument) scenarioLines(e.gherkinDocument, lineOf);
    else if (e.pickle) {
      const p = e.pickle;
      const at = lineOf.get(p.astNodeIds.at(-1)!) ?? lineOf.get(p.astNodeIds[0]) ?? 0;
      pickles.set(p.id, {
        location: `${p.uri}:${at}`,
        steps: new Map(p.steps.map((s) => [s.id, { keyword: KEYWORD[String(s.type)] ?? '', text: s.text }])),
      });
    } else if (e.testCase) {
      const steps = new Map<string, string>();
      for (const s of e.testCase.testSteps) if (s.pickleStepId) steps.set(s.id, s.pickleStepId);
      cases.set(e.testCase.id, { pickleId: e.testCase.pickleId, stepToPickleStep: steps });
    } else if (e.testCaseStarted) {
      const c = cases.get(e.testCaseStarted.testCaseId);
      const p = c && pickles.get(c.pickleId);
      if (c && p) attempts.set(e.testCaseStarted.id, { ...c, d: { location: p.location, judged: [] } });
    } else if (e.testStepFinished) {
      const a = attempts.get(e.testStepFinished.testCaseStartedId);
      const r = e.testStepFinished.testStepResult;
      if (!a || String(r.status) !== 'FAILED' || a.d.failedStep) continue;
      const pickleStepId = a.stepToPickleStep.get(e.testStepFinished.testStepId);
      const step = pickleStepId ? pickles.get(a.pickleId)?.steps.get(pickleStepId) : undefined;
      a.d.failedStep = {
        keyword: step ? step.keyword : 'hook',
        text: step?.text ?? '',
        error: r.exception?.stackTrace ?? r.message ?? r.exception?.message ?? '',
        type: r.exception?.type ?? 'Error',
      };
    } else if (e.attachment?.testCaseStartedId) {
      const a = attempts.get(e.attachment.testCaseStartedId);
      if (!a) continue;
      const m = e.attachment.mediaType;
      if (m === 'image/svg+xml') a.d.chart = text(e.attachment);
      else if (m === VERDICT_MEDIA_TYPE) a.d.judged = (JSON.parse(text(e.attachment)) as VerdictRecord).judged ?? [];
      else if (m === 'text/plain') {
        const t = text(e.attachment);
        if (/^\s*#\d+ \+\d+ms /.test(t) || t.trim() === '(no trace)') a.d.messageLog = t;
      }
    } else if (e.testCaseFinished) {
      const a = attempts.get(e.testCaseFinished.testCaseStartedId);
      if (a && !e.testCaseFinished.willBeRetried) out.set(a.d.location, a.d);
    }
  }
  return out;
}
