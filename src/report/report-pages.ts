/**
 * What the HTML pages of a run (verdict-banner.ts, cucumber-page.ts, run-report-page.ts) share:
 * the files of the run folder they read, write and link to, and how text goes into them.
 */

/** Files of a run folder: the pages read, write and link to them, a run (cli/cucumber-run.ts) and a merge write them. */
export const REPORT_PAGES = {
  index: 'index.html',
  cucumber: 'cucumber-report.html',
  cucumberJunit: 'cucumber-report.xml',
  cucumberJson: 'cucumber-report.json',
  messages: 'cucumber-messages.ndjson',
  summaryMd: 'summary.md',
  summaryJson: 'summary.json',
  requirementsJunit: 'requirements.junit.xml',
} as const;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The first line of a text, cut to `max` characters. */
export const firstLine = (s: string, max = 320) => {
  const [l = ''] = s.split('\n', 1);
  return l.length > max ? `${l.slice(0, max - 1)}\u2026` : l;
};
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** A verdict as a class name: "not applicable" -> "not-applicable". */
export const cls = (v: string) => v.replace(/\s+/g, '-');
