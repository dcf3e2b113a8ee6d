/**
 * The verdict banner both HTML pages of a run open on (index.html and cucumber's page): the
 * summary's own words — its headline, reasons and totals, "not applicable" apart from every
 * executed verdict — with the badge of the run's outcome and links to the certificate.
 */
import { headline } from './summary-render';
import type { Summary } from './summary';
import { cls, escapeHtml, firstLine, REPORT_PAGES, secs } from './report-pages';
import type { ScenarioVerdict } from './verdict';

export type VerdictKind = 'certified' | 'warnings' | 'partial' | 'fail' | 'inconclusive' | 'error';

/** Which of the run's outcomes the banner shows: a certification pass, one with warnings, a partial pass, or the verdict. */
export function verdictKind(s: Pick<Summary, 'verdict' | 'certified' | 'withWarnings'>): VerdictKind {
  if (s.verdict !== 'pass') return s.verdict;
  if (!s.certified) return 'partial';
  return s.withWarnings ? 'warnings' : 'certified';
}

/** The banner's one-word verdict. */
export const VERDICT_BADGE: Record<VerdictKind, string> = {
  certified: 'CERTIFIED',
  warnings: 'PASS WITH WARNINGS',
  partial: 'PARTIAL',
  fail: 'FAIL',
  inconclusive: 'INCONCLUSIVE',
  error: 'ERROR',
};

export const SCENARIO_COLUMNS: ScenarioVerdict[] = ['pass', 'fail', 'inconclusive', 'error', 'not applicable'];
export const REQUIREMENT_COLUMNS = [...SCENARIO_COLUMNS, 'not tested'] as const;
const MAX_REASONS = 3;

function countsTable(s: Summary): string {
  const t = s.totals;
  const cell = (v: string, n: number | undefined) =>
    n === undefined ? '<td class="dpe-none">\u2013</td>' : `<td class="dpe-n dpe-c-${cls(v)}${n ? '' : ' dpe-zero'}">${n}</td>`;
  const head = REQUIREMENT_COLUMNS.map((v) => `<th>${v}</th>`).join('');
  const row = (what: string, counts: Record<string, number>, cols: readonly string[]) =>
    `<tr><th scope="row">${what}</th>${REQUIREMENT_COLUMNS.map((v) => cell(v, cols.includes(v) ? counts[v] : undefined)).join('')}</tr>`;
  return (
    `<table class="dpe-counts"><thead><tr><th></th>${head}</tr></thead><tbody>` +
    row('scenarios', t.scenarios, SCENARIO_COLUMNS) +
    row('requirements', t.requirements, REQUIREMENT_COLUMNS) +
    '</tbody></table>'
  );
}

export interface BannerOptions {
  /** Where the other page of the run is, with its name. */
  other?: { href: string; label: string };
  /** A last line, e.g. what the page below the banner is. */
  note?: string;
}

/** The verdict banner: badge, headline, target, reasons, totals in the summary's words, links. */
export function renderBanner(s: Summary, o: BannerOptions = {}): string {
  const kind = verdictKind(s);
  const reasons = s.reasons.slice(0, MAX_REASONS).map((r) => `<li>${escapeHtml(firstLine(r, 240))}</li>`);
  if (s.reasons.length > MAX_REASONS)
    reasons.push(
      `<li class="dpe-more">\u2026 and ${s.reasons.length - MAX_REASONS} more in <a href="${REPORT_PAGES.summaryMd}">summary.md</a></li>`,
    );
  const [firstWarning] = s.warnings;
  const warnings =
    firstWarning !== undefined
      ? `<p class="dpe-warnings">${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'} (they do not fail the run): ${escapeHtml(firstLine(firstWarning, 200))}${s.warnings.length > 1 ? ' \u2026' : ''}</p>`
      : '';
  const sel = s.selection;
  const selection = `${sel.executed} executed of ${sel.selected} selected by the ICS${s.partial ? ' \u2014 partial run, never a certification pass' : ''}; ${sel.notApplicable} not applicable`;
  const target = [
    escapeHtml(s.target),
    s.runId ? `run <b>${escapeHtml(s.runId)}</b>` : '',
    escapeHtml(s.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')),
    secs(s.durationMs),
  ].filter(Boolean);
  const harness = s.harness
    ? `${escapeHtml(s.suite.name)} ${escapeHtml(s.harness.version)}${s.harness.commit ? `, commit <code>${escapeHtml(s.harness.commit)}</code>` : ', commit unknown'}`
    : `${escapeHtml(s.suite.name)} ${escapeHtml(s.suite.version)}`;
  const meta = [
    `implementation <b>${escapeHtml(`${s.implementation.name} ${s.implementation.version}`)}</b>`,
    `ICS ${escapeHtml(s.ics.file ?? '(built-in reference ICS)')}`,
    `IXIT ${escapeHtml(s.ixit.file ?? '(built-in defaults)')}`,
    ...(s.tags ? [`tags <code>${escapeHtml(s.tags)}</code>`] : []),
    ...(s.referenceVariant ? [`reference variant <code>${escapeHtml(s.referenceVariant)}</code>`] : []),
    `harness ${harness}`,
  ];
  const other = o.other ? ` \u00b7 <a href="${escapeHtml(o.other.href)}">${escapeHtml(o.other.label)}</a>` : '';
  return [
    `<section id="dpe-verdict" class="dpe-banner dpe-k-${kind}" data-verdict="${s.verdict}" data-kind="${kind}">`,
    `<div class="dpe-badge">${VERDICT_BADGE[kind]}</div>`,
    `<div class="dpe-main">`,
    `<h1 class="dpe-headline">${escapeHtml(headline(s))}</h1>`,
    `<p class="dpe-target">${target.join(' \u00b7 ')}</p>`,
    `<ul class="dpe-reasons">${reasons.join('')}</ul>`,
    warnings,
    countsTable(s),
    `<p class="dpe-selection">${escapeHtml(selection)}</p>`,
    `<p class="dpe-links"><a href="${REPORT_PAGES.summaryMd}">summary.md</a> (the certificate) \u00b7 <a href="${REPORT_PAGES.summaryJson}">summary.json</a> \u00b7 <a href="${REPORT_PAGES.requirementsJunit}">requirements.junit.xml</a>${other}</p>`,
    `<p class="dpe-meta">${meta.join(' \u00b7 ')}</p>`,
    o.note ? `<p class="dpe-note">${escapeHtml(o.note)}</p>` : '',
    `</div>`,
    `</section>`,
  ].join('\n');
}

/** The banner's style; every rule is under #dpe-verdict so that cucumber's page keeps its own. */
export const BANNER_CSS = `
#dpe-verdict { all: initial; display: flex; gap: 22px; align-items: flex-start; box-sizing: border-box; margin: 0; padding: 20px 28px 16px;
  font: 14px/1.45 "DejaVu Sans", Helvetica, Arial, sans-serif; color: #1f2933; background: #f4f6f8; border-bottom: 1px solid #cfd8dc; border-left: 12px solid var(--dpe-k); }
#dpe-verdict * { box-sizing: border-box; }
#dpe-verdict.dpe-k-certified { --dpe-k: #2e7d32; --dpe-k-bg: #e8f5e9; }
#dpe-verdict.dpe-k-warnings { --dpe-k: #b26a00; --dpe-k-bg: #fff3e0; }
#dpe-verdict.dpe-k-partial { --dpe-k: #1565c0; --dpe-k-bg: #e3f2fd; }
#dpe-verdict.dpe-k-fail { --dpe-k: #c62828; --dpe-k-bg: #ffebee; }
#dpe-verdict.dpe-k-inconclusive { --dpe-k: #6a1b9a; --dpe-k-bg: #f3e5f5; }
#dpe-verdict.dpe-k-error { --dpe-k: #37474f; --dpe-k-bg: #eceff1; }
#dpe-verdict { background: var(--dpe-k-bg); }
#dpe-verdict .dpe-badge { flex: none; min-width: 150px; max-width: 190px; padding: 14px 16px; border-radius: 8px; background: var(--dpe-k); color: #fff;
  font-weight: bold; font-size: 22px; line-height: 1.15; letter-spacing: .04em; text-align: center; }
#dpe-verdict .dpe-main { flex: 1; min-width: 0; }
#dpe-verdict h1.dpe-headline { margin: 0 0 2px; font-size: 24px; line-height: 1.25; color: var(--dpe-k); font-weight: bold; }
#dpe-verdict p { margin: 6px 0; }
#dpe-verdict .dpe-target { color: #37474f; }
#dpe-verdict ul.dpe-reasons { margin: 8px 0; padding-left: 20px; }
#dpe-verdict ul.dpe-reasons li { margin: 2px 0; overflow-wrap: anywhere; }
#dpe-verdict .dpe-warnings { color: #8a5300; }
#dpe-verdict table.dpe-counts { border-collapse: collapse; margin: 10px 0 4px; background: #fff; font-size: 13px; }
#dpe-verdict table.dpe-counts th, #dpe-verdict table.dpe-counts td { border: 1px solid #cfd8dc; padding: 3px 10px; text-align: center; }
#dpe-verdict table.dpe-counts thead th { font-weight: normal; color: #546e7a; background: #fafbfc; }
#dpe-verdict table.dpe-counts tbody th { text-align: left; font-weight: bold; color: #37474f; }
#dpe-verdict td.dpe-n { font-weight: bold; font-size: 15px; }
#dpe-verdict td.dpe-zero { color: #b0bec5; font-weight: normal; }
#dpe-verdict td.dpe-c-pass:not(.dpe-zero) { color: #2e7d32; }
#dpe-verdict td.dpe-c-fail:not(.dpe-zero) { color: #c62828; }
#dpe-verdict td.dpe-c-inconclusive:not(.dpe-zero) { color: #6a1b9a; }
#dpe-verdict td.dpe-c-error:not(.dpe-zero) { color: #37474f; }
#dpe-verdict td.dpe-c-not-applicable:not(.dpe-zero), #dpe-verdict td.dpe-c-not-tested:not(.dpe-zero) { color: #546e7a; }
#dpe-verdict td.dpe-none { color: #cfd8dc; }
#dpe-verdict .dpe-selection, #dpe-verdict .dpe-meta { color: #546e7a; font-size: 13px; }
#dpe-verdict a { color: #0d47a1; }
#dpe-verdict code { font: 12px "DejaVu Sans Mono", Menlo, monospace; background: rgba(0,0,0,.05); padding: 0 3px; border-radius: 3px; }
#dpe-verdict .dpe-note { color: #455a64; font-size: 13px; border-top: 1px solid rgba(0,0,0,.1); padding-top: 6px; }
`;
