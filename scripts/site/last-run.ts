/**
 * The runs the documentation site can show: every `<reports>/<run>/summary.json` a CLI run
 * wrote (src/report/summary.ts), newest first. A file that is not a run summary is skipped and
 * named (the site still builds); no summary at all means "no run yet".
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../../src/report/summary';

/** What the site reads of a summary. */
export type RunSummary = Pick<
  Summary,
  | 'format'
  | 'runId'
  | 'verdict'
  | 'withWarnings'
  | 'certified'
  | 'partial'
  | 'reasons'
  | 'target'
  | 'implementation'
  | 'startedAt'
  | 'durationMs'
  | 'selection'
  | 'totals'
  | 'requirements'
  | 'scenarios'
  | 'suite'
  | 'command'
  | 'tags'
> & { ics: { declared: Partial<Summary['ics']['declared']> } };

export interface FoundRun {
  /** The run folder's name under the reports folder. */
  folder: string;
  /** Path of its summary.json. */
  file: string;
  summary: RunSummary;
}

export interface Runs {
  /** Newest first (by start time, then folder name). */
  runs: FoundRun[];
  /** summary.json files that could not be used, with why. */
  skipped: string[];
}

const FORMAT = 'dpe-conformance-summary/1';

/** Why a parsed summary.json cannot be shown, or undefined when it can. */
export function summaryProblem(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null) return 'not a JSON object';
  const s = x as Record<string, unknown>;
  if (s.format !== FORMAT) return `format is ${JSON.stringify(s.format)}, not "${FORMAT}"`;
  if (typeof s.verdict !== 'string') return 'no verdict';
  if (typeof s.startedAt !== 'string' || Number.isNaN(Date.parse(s.startedAt))) return 'no valid startedAt';
  if (!Array.isArray(s.requirements) || !Array.isArray(s.scenarios)) return 'no requirements or scenarios list';
  return undefined;
}

export function findRuns(reportsDir: string): Runs {
  const out: Runs = { runs: [], skipped: [] };
  if (!existsSync(reportsDir) || !statSync(reportsDir).isDirectory()) return out;
  for (const folder of readdirSync(reportsDir).sort()) {
    const file = join(reportsDir, folder, 'summary.json');
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      continue; // no summary in that folder: not a CLI run
    }
    if (!isFile) {
      out.skipped.push(`${file}: not a regular file`);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      out.skipped.push(`${file}: not JSON (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    const problem = summaryProblem(parsed);
    if (problem) out.skipped.push(`${file}: ${problem}`);
    else out.runs.push({ folder, file, summary: parsed as RunSummary });
  }
  out.runs.sort((a, b) => Date.parse(b.summary.startedAt) - Date.parse(a.summary.startedAt) || a.folder.localeCompare(b.folder));
  return out;
}

/** The run's verdict in the words of its certificate. */
export function runVerdictWords(s: RunSummary): string {
  if (s.verdict === 'pass') {
    if (s.partial) return 'partial pass';
    return s.certified ? (s.withWarnings ? 'certified, with warnings' : 'certified') : s.withWarnings ? 'pass with warnings' : 'pass';
  }
  return s.verdict;
}

/** CSS badge kind of a run verdict. */
export function runVerdictKind(s: RunSummary): string {
  if (s.verdict !== 'pass') return s.verdict;
  if (s.partial) return 'partial';
  return s.withWarnings ? 'pass-with-warnings' : 'pass';
}
