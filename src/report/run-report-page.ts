/**
 * index.html, the run's report: the verdict banner, then every scenario that did not pass,
 * opened, with its failed step, the checks that did not hold and its sequence chart; then the
 * requirements and every other scenario, folded.
 */
import type { ScenarioDetails } from './run-details';
import type { RequirementResult, ScenarioResult, Summary } from './summary';
import { cls, escapeHtml, firstLine, REPORT_PAGES } from './report-pages';
import { BANNER_CSS, renderBanner, REQUIREMENT_COLUMNS, VERDICT_BADGE, verdictKind } from './verdict-banner';

const NOT_PASSED_ORDER: Record<string, number> = { fail: 0, error: 1, inconclusive: 2 };
export const anchorOf = (location: string) => `s-${location.replace(/[^A-Za-z0-9]+/g, '-')}`;

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
  const only = judged.length === 1 ? judged[0] : undefined;
  const shown =
    only !== undefined && (step?.error.includes(firstLine(only.message, 10_000).replace(/ \(requirement [^)]*\)$/, '')) ?? false);
  const checks = judged.map(
    (j) =>
      `<li class="dpe-check-${j.force}">${pill(j.force)} <code>${escapeHtml(j.requirement)}</code>${shown ? '' : ` ${escapeHtml(firstLine(j.message, 600))}`}</li>`,
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
    checks.length
      ? `<div class="dpe-checks"><p>${checks.length === 1 ? 'The check' : 'Checks'} that did not hold:</p><ul>${checks.join('')}</ul></div>`
      : '',
    chartHtml(d?.chart, true),
    d?.messageLog ? `<details class="dpe-log"><summary>Message log</summary><pre>${escapeHtml(d.messageLog)}</pre></details>` : '',
    `</div>`,
    `</details>`,
  ].join('\n');
}

function foldedScenario(sc: ScenarioResult, d: ScenarioDetails | undefined): string {
  const warned = sc.warnings.length
    ? ` <span class="dpe-warn-mark">\u26a0 ${sc.warnings.length} warning${sc.warnings.length === 1 ? '' : 's'}</span>`
    : '';
  const warnings = sc.warnings
    .map((w) => `<li><code>${escapeHtml(w.requirement)}</code> ${escapeHtml(firstLine(w.message, 600))}</li>`)
    .join('');
  return [
    `<details class="dpe-scenario dpe-s-${cls(sc.verdict)}" id="${anchorOf(sc.location)}" data-verdict="${sc.verdict}">`,
    `<summary><span class="dpe-name">${escapeHtml(sc.name)}</span> <span class="dpe-loc">${escapeHtml(sc.location)}</span>${warned}</summary>`,
    `<div class="dpe-body">`,
    `<p class="dpe-reqs">Requirements: ${requirementCodes(sc.requirements)}</p>`,
    warnings
      ? `<div class="dpe-checks"><p>Warnings (derived rules that did not hold; they do not fail the run):</p><ul>${warnings}</ul></div>`
      : '',
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
    .flatMap((sc) => {
      const rank = NOT_PASSED_ORDER[sc.verdict];
      return rank === undefined ? [] : [{ sc, rank }];
    })
    .sort((a, b) => a.rank - b.rank || a.sc.location.localeCompare(b.sc.location, 'en', { numeric: true }))
    .map(({ sc }) => sc);
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
    out.push(
      `<section id="warnings"><h2>Warnings (${s.warnings.length})</h2><p class="dpe-muted">Derived rules that did not hold and other notes; they do not fail the run.</p><ul>`,
    );
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
    for (const sc of na)
      out.push(`<tr><td>${escapeHtml(sc.name)}</td><td>${escapeHtml(sc.location)}</td><td>${escapeHtml(sc.reason)}</td></tr>`);
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
