/**
 * What the HTML report shows of each scenario beyond its verdict: the step that failed with its
 * error text, the last sequence chart the hooks attached, the message log attached on failure,
 * and the checks its verdict record lists — as the run reader (run-reader.ts) read them, keyed by
 * location (features/...feature:line), as the summary keys scenarios.
 */
import type { FailedStep, RunRead } from './run-reader';
import { readRun } from './run-reader';
import type { JudgedCheck } from './verdict';

export type { FailedStep };

export interface ScenarioDetails {
  location: string;
  failedStep?: FailedStep;
  /** The last sequence chart attached (SVG text). */
  chart?: string;
  /** The message log the hooks attach to a failed scenario. */
  messageLog?: string;
  /** The checks of the verdict record the scenario attached (those judged late are in the summary). */
  judged: JudgedCheck[];
}

/** The details of every scenario's last attempt, by location. */
export function detailsOf(run: RunRead): Map<string, ScenarioDetails> {
  const out = new Map<string, ScenarioDetails>();
  for (const s of run.scenarios) {
    if (!s.known) continue;
    const d: ScenarioDetails = { location: s.location, judged: s.attached?.judged ?? [] };
    if (s.failedStep) d.failedStep = s.failedStep;
    if (s.chart !== undefined) d.chart = s.chart;
    if (s.messageLog !== undefined) d.messageLog = s.messageLog;
    out.set(s.location, d);
  }
  return out;
}

/** The details of every scenario's last attempt in a messages NDJSON, by location. */
export function readRunDetails(ndjson: string): Map<string, ScenarioDetails> {
  return detailsOf(readRun(ndjson));
}
