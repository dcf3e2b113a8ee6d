/**
 * The HTML reports of a run, which open on its verdict:
 *  - index.html, the run's report: the verdict banner (the summary's own words: its headline,
 *    reasons and totals, "not applicable" apart from every executed verdict), then every
 *    scenario that did not pass, opened, with its failed step, the checks that did not hold and
 *    its sequence chart; then the requirements and every other scenario, folded;
 *  - cucumber-report.html, cucumber's step-by-step page, with the same banner put on top and
 *    the charts of scenarios that did not pass unfolded.
 * Both link to summary.md, the certificate. Built from the summary and the run's cucumber
 * messages only, so every way of running the suite gets the same pages (src/cli/run.ts after
 * scoring a CLI run; src/report/report-formatter.ts for the npm scripts). The pages are made by
 * run-report-page.ts and cucumber-page.ts, with the banner of verdict-banner.ts; this module
 * writes them into the run folder.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { injectVerdict } from './cucumber-page';
import { REPORT_PAGES } from './report-pages';
import { readRunDetails } from './run-details';
import { renderRunReport } from './run-report-page';
import type { Summary } from './summary';

/** Writes index.html into the run folder; `messages`: the run's cucumber messages, when not yet in the folder. */
export function writeRunReport(runDir: string, s: Summary, messages?: string): string {
  const messagesFile = join(runDir, REPORT_PAGES.messages);
  const text = messages ?? (existsSync(messagesFile) ? readFileSync(messagesFile, 'utf8') : '');
  const index = join(runDir, REPORT_PAGES.index);
  writeFileSync(index, renderRunReport(s, readRunDetails(text)));
  return index;
}

/** After a scored run: index.html, and the banner on the cucumber report the run wrote there (if any). */
export function writeHtmlReports(runDir: string, s: Summary): { index: string; cucumber?: string } {
  const index = writeRunReport(runDir, s);
  const cucumber = join(runDir, REPORT_PAGES.cucumber);
  if (!existsSync(cucumber)) return { index };
  writeFileSync(cucumber, injectVerdict(readFileSync(cucumber, 'utf8'), s));
  return { index, cucumber };
}
