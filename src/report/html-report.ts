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
 * scoring a CLI run; src/report/report-formatter.ts for the npm scripts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunDetails, type ScenarioDetails } from './run-details';
import type { RequirementResult, ScenarioResult, Summary } from './summary';
import { headline } from './summary-render';
import type { ScenarioVerdict } from './verdict';

/** Files of a run folder the pages read, write and link to. */
export const REPORT_PAGES = {
  index: 'index.html',
  cucumber: 'cucumber-report.html',
  messages: 'cucumber-messages.ndjson',
  summaryMd: 'summary.md',
  summaryJson: 'summary.json',
  requirementsJunit: 'requirements.junit.xml',
} as const;

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

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SCENARIO_COLUMNS: ScenarioVerdict[] = ['pass', 'fail', 'inconclusive', 'error', 'not applicable'];
const REQUIREMENT_COLUMNS = [...SCENARIO_COLUMNS, 'not tested'] as const;
const NOT_PASSED_ORDER: Record<string, number> = { fail: 0, error: 1, inconclusive: 2 };
const MAX_REASONS = 3;

const firstLine = (s: string, max = 320) => {
  const l = s.split('\n')[0];
  return l.length > max ? `${l.slice(0, max - 1)}\u2026` : l;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cls = (v: string) => v.replace(/\s+/g, '-');
export const anchorOf = (location: string) => `s-${location.replace(/[^A-Za-z0-9]+/g, '-')}`;

function countsTable(s: Summary): string {
  const t = s.totals;
  const cell = (v: string, n: number | undefined) => (n === undefined ? '<td class="dpe-none">\u2013</td>' : `<td class="dpe-n dpe-c-${cls(v)}${n ? '' : ' dpe-zero'}">${n}</td>`);
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
  if (s.reasons.length > MAX_REASONS) reasons.push(`<li class="dpe-more">\u2026 and ${s.reasons.length - MAX_REASONS} more in <a href="${REPORT_PAGES.summaryMd}">summary.md</a></li>`);
  const warnings = s.warnings.length
    ? `<p class="dpe-warnings">${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'} (they do not fail the run): ${escapeHtml(firstLine(s.warnings[0], 200))}${s.warnings.length > 1 ? ' \u2026' : ''}</p>`
    : '';
  const sel = s.selection;
  const selection = `${sel.executed} executed of ${sel.selected} selected by the ICS${s.partial ? ' \u2014 partial run, never a certification pass' : ''}; ${sel.notApplicable} not applicable`;
  const target = [
    escapeHtml(s.target),
    s.runId ? `run <b>${escapeHtml(s.runId)}</b>` : '',
    escapeHtml(s.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')),
    secs(s.durationMs),
  ].filter(Boolean);
  const harness = s.harness ? `${escapeHtml(s.suite.name)} ${escapeHtml(s.harness.version)}${s.harness.commit ? `, commit <code>${escapeHtml(s.harness.commit)}</code>` : ', commit unknown'}` : `${escapeHtml(s.suite.name)} ${escapeHtml(s.suite.version)}`;
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

const INJECTED = { start: '<!-- dpe-verdict:start -->', end: '<!-- dpe-verdict:end -->' };

/**
 * Unfolds cucumber's <details> of each chart of a scenario that did not pass ("sequence chart
 * (fail).svg"): cucumber renders them later, and again when a filter changes, so it watches.
 */
const UNFOLD_SCRIPT = `
(function () {
  var notPassed = /^sequence chart \\((fail|error|inconclusive)\\)/;
  function unfold() {
    var all = document.querySelectorAll('#content details > summary');
    for (var i = 0; i < all.length; i++) {
      var d = all[i].parentElement;
      if (d.getAttribute('data-dpe-unfolded') || !notPassed.test(all[i].textContent.trim())) continue;
      d.setAttribute('data-dpe-unfolded', 'yes');
      d.open = true;
    }
  }
  function watch() {
    var root = document.getElementById('content');
    if (root) new MutationObserver(unfold).observe(root, { childList: true, subtree: true });
    unfold();
  }
  // the banner comes before cucumber's #content: wait for it
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
  else watch();
})();
`;

/**
 * cucumber's HTML report with the verdict banner on top and the charts of scenarios that did
 * not pass unfolded. Idempotent: a banner put there before is replaced.
 */
export function injectVerdict(cucumberHtml: string, s: Summary): string {
  const banner = renderBanner(s, {
    other: { href: REPORT_PAGES.index, label: 'the run report (verdict first, failures unfolded)' },
    note: "Below: cucumber's step-by-step view of the same run. Cucumber calls a scenario that does not apply to the ICS \u201cskipped\u201d and counts it in its percentage; the verdict is the one above.",
  });
  const block = `${INJECTED.start}\n<style>${BANNER_CSS}</style>\n${banner}\n<script>${UNFOLD_SCRIPT}</script>\n${INJECTED.end}\n`;
  let html = cucumberHtml;
  const a = html.indexOf(INJECTED.start);
  const b = html.indexOf(INJECTED.end);
  // what an earlier scoring put there, with the line break before it
  if (a >= 0 && b > a) html = html.slice(0, html[a - 1] === '\n' ? a - 1 : a) + html.slice(b + INJECTED.end.length + 1);
  // the first <body> is the template's: the messages come after it, inside a script
  const body = html.search(/<body[^>]*>/);
  if (body < 0) return block + html;
  const at = html.indexOf('>', body) + 1;
  return `${html.slice(0, at)}\n${block}${html.slice(at)}`;
}

// ---- the run report (index.html) -----------------------------------------------------------

/** A chart as the page shows it: inline (its tooltips work, its marks can be found) when it is plain SVG. */
function chartHtml(svg: string | undefined, inline: boolean): string {
  if (!svg) return '<p class="dpe-muted">(no sequence chart was attached)</p>';
  const plain = svg.trimStart().startsWith('<svg') && !/<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(svg);
  if (inline && plain) return `<div class="dpe-chart">${svg}</div>`;
  return `<div class="dpe-chart"><img alt="sequence chart" loading="lazy" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></div>`;
}

function pill(v: string, extra = ''): string {
  return `<span class="dpe-pill dpe-v-${cls(v)}">${escapeHtml(v)}${extra}</span>`;
}

function requirementCodes(ids: string[]): string {
  return ids.length ? ids.map((id) => `<code>${escapeHtml(id)}</code>`).join(' ') : '<span class="dpe-muted">none</span>';
}

/** Whether a verdict's reason only restates the failed step's error (its first line). */
function repeats(reason: string, step: ScenarioDetails['failedStep']): boolean {
  if (!step || step.keyword === 'hook') return false;
  const said = firstLine(step.error, 10_000).replace(/^[A-Za-z]+: /, '');
  return said.length > 0 && reason.endsWith(said);
}

function notPassedScenario(sc: ScenarioResult, d: ScenarioDetails | undefined): string {
  const step = d?.failedStep;
  const judged = d?.judged ?? [];
  // the one check the failed step already shows is named, not repeated
  const shown = judged.length === 1 && step !== undefined && step.error.includes(firstLine(judged[0].message, 10_000).replace(/ \(requirement [^)]*\)$/, ''));
  const checks = judged.map(
    (j) => `<li class="dpe-check-${j.force}">${pill(j.force)} <code>${escapeHtml(j.requirement)}</code>${shown ? '' : ` ${escapeHtml(firstLine(j.message, 600))}`}</li>`,
  );
  return [
    `<details open class="dpe-scenario dpe-s-${cls(sc.verdict)}" id="${anchorOf(sc.location)}" data-verdict="${sc.verdict}">`,
    `<summary>${pill(sc.verdict, sc.deviation !== undefined ? ' (known deviation)' : '')} <span class="dpe-name">${escapeHtml(sc.name)}</span> <span class="dpe-loc">${escapeHtml(sc.location)}</span></summary>`,
    `<div class="dpe-body">`,
    // the reason is the failed step's error as often as not: then the error box says it
    repeats(sc.reason, step) ? '' : `<p class="dpe-reason">${escapeHtml(sc.reason)}</p>`,
    `<p class="dpe-reqs">Requirements: ${requirementCodes(sc.requirements)}</p>`,
    step
      ? `<div class="dpe-step"><p>Failed ${step.keyword === 'hook' ? 'in a hook' : `step: <b>${escapeHtml(step.keyword)}</b> ${escapeHtml(step.text)}`}</p><pre class="dpe-error">${escapeHtml(step.error.trimEnd())}</pre></div>`
      : '',
    checks.length ? `<div class="dpe-checks"><p>${checks.length === 1 ? 'The check' : 'Checks'} that did not hold:</p><ul>${checks.join('')}</ul></div>` : '',
    chartHtml(d?.chart, true),
    d?.messageLog ? `<details class="dpe-log"><summary>Message log</summary><pre>${escapeHtml(d.messageLog)}</pre></details>` : '',
    `</div>`,
    `</details>`,
  ].join('\n');
}

function foldedScenario(sc: ScenarioResult, d: ScenarioDetails | undefined): string {
  const warned = sc.warnings.length ? ` <span class="dpe-warn-mark">\u26a0 ${sc.warnings.length} warning${sc.warnings.length === 1 ? '' : 's'}</span>` : '';
  const warnings = sc.warnings.map((w) => `<li><code>${escapeHtml(w.requirement)}</code> ${escapeHtml(firstLine(w.message, 600))}</li>`).join('');
  return [
    `<details class="dpe-scenario dpe-s-${cls(sc.verdict)}" id="${anchorOf(sc.location)}" data-verdict="${sc.verdict}">`,
    `<summary><span class="dpe-name">${escapeHtml(sc.name)}</span> <span class="dpe-loc">${escapeHtml(sc.location)}</span>${warned}</summary>`,
    `<div class="dpe-body">`,
    `<p class="dpe-reqs">Requirements: ${requirementCodes(sc.requirements)}</p>`,
    warnings ? `<div class="dpe-checks"><p>Warnings (derived rules that did not hold; they do not fail the run):</p><ul>${warnings}</ul></div>` : '',
    chartHtml(d?.chart, false),
    `</div>`,
    `</details>`,
  ].join('\n');
}

function requirementsTable(rs: RequirementResult[]): string {
  const rank: Record<string, number> = { fail: 0, error: 1, inconclusive: 2, 'not tested': 3, pass: 4, 'not applicable': 5 };
  const rows = [...rs]
    .sort((a, b) => (rank[a.verdict] ?? 9) - (rank[b.verdict] ?? 9) || a.id.localeCompare(b.id))
    .map(
      (r) =>
        `<tr class="dpe-r-${cls(r.verdict)}"><td><code>${escapeHtml(r.id)}</code></td><td>${escapeHtml(r.clause)}</td><td>${escapeHtml(r.level)}</td><td>${escapeHtml(r.source.kind)}</td><td>${escapeHtml(r.force)}</td>` +
        `<td>${pill(r.verdict, r.knownDeviation ? ' (known deviation)' : r.verdict === 'fail' && r.force === 'warns' ? ' (warning)' : '')}</td><td>${r.scenarios.length}</td><td class="dpe-why">${escapeHtml(r.verdict === 'pass' ? '' : firstLine(r.reason ?? '', 400))}</td></tr>`,
    );
  return `<table class="dpe-table"><thead><tr><th>requirement</th><th>clause</th><th>level</th><th>source</th><th>force</th><th>verdict</th><th>scenarios</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const PAGE_CSS = `
html { background: #fff; }
body { margin: 0; font: 14px/1.45 "DejaVu Sans", Helvetica, Arial, sans-serif; color: #1f2933; }
main { padding: 8px 28px 40px; max-width: 1500px; }
h2 { font-size: 18px; margin: 26px 0 10px; color: #263238; border-bottom: 1px solid #e0e6ea; padding-bottom: 4px; }
a { color: #0d47a1; }
code, pre { font: 12px/1.4 "DejaVu Sans Mono", Menlo, monospace; }
code { background: #f1f3f5; padding: 0 3px; border-radius: 3px; }
.dpe-muted { color: #78909c; }
.dpe-pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: bold; color: #fff; background: #78909c; white-space: nowrap; }
.dpe-v-pass { background: #2e7d32; } .dpe-v-fail, .dpe-v-fails { background: #c62828; } .dpe-v-inconclusive { background: #6a1b9a; }
.dpe-v-error { background: #37474f; } .dpe-v-not-applicable, .dpe-v-not-tested { background: #90a4ae; } .dpe-v-warns { background: #b26a00; }
details.dpe-scenario { border: 1px solid #dde3e7; border-radius: 6px; margin: 8px 0; background: #fff; }
details.dpe-scenario > summary { cursor: pointer; padding: 8px 12px; list-style-position: inside; }
details.dpe-scenario[open] > summary { border-bottom: 1px solid #eef1f3; }
details.dpe-s-fail { border-left: 6px solid #c62828; } details.dpe-s-error { border-left: 6px solid #37474f; } details.dpe-s-inconclusive { border-left: 6px solid #6a1b9a; }
details.dpe-s-pass { border-left: 6px solid #a5d6a7; }
.dpe-name { font-weight: bold; } .dpe-loc { color: #78909c; font-size: 12px; margin-left: 6px; }
.dpe-warn-mark { color: #b26a00; font-size: 12px; margin-left: 8px; }
.dpe-body { padding: 6px 14px 12px; }
.dpe-reason { font-size: 15px; margin: 6px 0; overflow-wrap: anywhere; }
.dpe-reqs { color: #546e7a; margin: 4px 0 8px; }
.dpe-step p { margin: 8px 0 4px; }
pre.dpe-error { background: #fff5f5; border: 1px solid #f5c6c6; color: #8e1c1c; padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 8px; max-height: 360px; overflow: auto; }
.dpe-checks p { margin: 8px 0 2px; } .dpe-checks ul { margin: 2px 0 8px; padding-left: 18px; } .dpe-checks li { margin: 3px 0; overflow-wrap: anywhere; }
.dpe-chart { overflow-x: auto; margin: 10px 0 4px; padding: 4px; border: 1px solid #eef1f3; border-radius: 4px; background: #fff; }
.dpe-chart svg, .dpe-chart img { display: block; }
details.dpe-log > summary, details.dpe-group > summary { cursor: pointer; color: #37474f; }
details.dpe-log pre { background: #f7f9fa; padding: 8px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 400px; overflow: auto; }
details.dpe-group { margin: 8px 0 14px; }
details.dpe-group > summary { font-size: 15px; font-weight: bold; padding: 4px 0; }
table.dpe-table { border-collapse: collapse; font-size: 13px; margin: 6px 0; width: 100%; }
table.dpe-table th, table.dpe-table td { border: 1px solid #e0e6ea; padding: 3px 8px; text-align: left; vertical-align: top; }
table.dpe-table th { background: #f5f7f8; font-weight: normal; color: #546e7a; }
td.dpe-why { overflow-wrap: anywhere; color: #455a64; }
.dpe-all-passed { color: #2e7d32; font-size: 15px; }
footer { margin-top: 30px; color: #546e7a; font-size: 13px; }
footer pre { background: #f5f7f8; padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere; color: #263238; }
`;

/** The run's report: verdict first, what did not pass unfolded, everything else folded. */
export function renderRunReport(s: Summary, details: Map<string, ScenarioDetails>): string {
  const notPassed = s.scenarios
    .filter((sc) => NOT_PASSED_ORDER[sc.verdict] !== undefined)
    .sort((a, b) => NOT_PASSED_ORDER[a.verdict] - NOT_PASSED_ORDER[b.verdict] || a.location.localeCompare(b.location, 'en', { numeric: true }));
  const passed = s.scenarios.filter((sc) => sc.verdict === 'pass');
  const na = s.scenarios.filter((sc) => sc.verdict === 'not applicable');
  const warned = passed.filter((sc) => sc.warnings.length);
  const t = s.totals.requirements;
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${VERDICT_BADGE[verdictKind(s)]} \u2014 DPE conformance run${s.runId ? ` ${s.runId}` : ''}`)}</title>`,
    `<style>${BANNER_CSS}${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    renderBanner(s, { other: { href: REPORT_PAGES.cucumber, label: "cucumber's step-by-step report" } }),
    '<main>',
  ];
  out.push(`<section id="not-passed"><h2>Scenarios that did not pass (${notPassed.length})</h2>`);
  if (!notPassed.length) out.push(`<p class="dpe-all-passed">Every executed scenario passed.</p>`);
  for (const sc of notPassed) out.push(notPassedScenario(sc, details.get(sc.location)));
  out.push('</section>');
  if (warned.length || s.warnings.length) {
    out.push(`<section id="warnings"><h2>Warnings (${s.warnings.length})</h2><p class="dpe-muted">Derived rules that did not hold and other notes; they do not fail the run.</p><ul>`);
    for (const w of s.warnings) out.push(`<li>${escapeHtml(w)}</li>`);
    out.push('</ul>');
    for (const sc of warned) out.push(foldedScenario(sc, details.get(sc.location)));
    out.push('</section>');
  }
  out.push(
    `<section id="requirements"><h2>Requirements (${s.requirements.length})</h2>`,
    `<details class="dpe-group"${t.fail + t.error + t.inconclusive ? ' open' : ''}><summary>${REQUIREMENT_COLUMNS.map((v) => `${t[v]} ${v}`).join(' \u00b7 ')}</summary>`,
    requirementsTable(s.requirements),
    '</details></section>',
  );
  out.push(`<section id="all"><h2>Every other scenario</h2>`);
  // with nothing else to show, the page lists what passed
  out.push(`<details class="dpe-group"${notPassed.length ? '' : ' open'}><summary>pass (${passed.length})</summary>`);
  for (const sc of passed) out.push(foldedScenario(sc, details.get(sc.location)));
  out.push('</details>');
  out.push(`<details class="dpe-group"><summary>not applicable to the ICS (${na.length})</summary>`);
  if (na.length) {
    out.push('<table class="dpe-table"><thead><tr><th>scenario</th><th>location</th><th>why it does not apply</th></tr></thead><tbody>');
    for (const sc of na) out.push(`<tr><td>${escapeHtml(sc.name)}</td><td>${escapeHtml(sc.location)}</td><td>${escapeHtml(sc.reason)}</td></tr>`);
    out.push('</tbody></table>');
  }
  out.push('</details>');
  if (s.selection.missing.length) {
    out.push(`<details class="dpe-group"><summary>selected by the ICS but not executed (${s.selection.missing.length})</summary><ul>`);
    for (const m of s.selection.missing) out.push(`<li>${escapeHtml(m)}</li>`);
    out.push('</ul></details>');
  }
  out.push('</section>');
  out.push(
    '<footer>',
    `<h2>Reproduce</h2><pre>${escapeHtml(s.command)}</pre>`,
    `<p>node ${escapeHtml(s.versions.node)} \u00b7 ${escapeHtml(s.suite.name)} ${escapeHtml(s.versions.suite)}${s.harness?.commit ? ` (commit ${escapeHtml(s.harness.commit)})` : ''} \u00b7 cucumber-js ${escapeHtml(s.versions.cucumber)} \u00b7 features <code>${escapeHtml(s.suite.featuresDigest)}</code></p>`,
    '</footer>',
    '</main>',
    '</body>',
    '</html>',
    '',
  );
  return out.join('\n');
}

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
