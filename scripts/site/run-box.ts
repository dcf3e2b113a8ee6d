/**
 * The last run on the documentation site: the box that names it (target, selection, totals,
 * why, its files) and the counts of requirement verdicts a clause card shows.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Requirement } from '../../src/requirements/types';
import type { Ctx } from './context';
import { VERDICT_ORDER } from './context';
import { badge, esc } from './html';
import { runVerdictKind, runVerdictWords } from './last-run';

export function runBox(ctx: Ctx): string {
  const last = ctx.last;
  if (!last) {
    return `<section class="run none"><strong>No run yet.</strong> ${badge('no-run', 'no run yet')}
<p class="note">The verdict columns fill in after a run that writes a certificate (<code>reports/&lt;run-id&gt;/summary.json</code>), for example <code>npm run cli -- run</code> or <code>npm run conformance:url</code>, followed by <code>npm run docs</code>.</p>
${ctx.skipped.length ? `<p class="note">Not usable: ${ctx.skipped.map((s) => esc(s)).join('; ')}</p>` : ''}</section>`;
  }
  const s = last.summary;
  const summaryMd = join(ctx.reportsDir, last.folder, 'summary.md');
  const html = join(ctx.reportsDir, last.folder, 'cucumber-report.html');
  const links = [
    existsSync(summaryMd) ? `<a href="${esc(ctx.link(summaryMd))}">summary.md</a>` : '',
    `<a href="${esc(ctx.link(last.file))}">summary.json</a>`,
    existsSync(html) ? `<a href="${esc(ctx.link(html))}">HTML report</a>` : '',
  ].filter(Boolean);
  const totals = Object.entries(s.totals?.requirements ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => badge(k, `${n} ${k}`))
    .join(' ');
  const impl = s.implementation ? [s.implementation.name, s.implementation.version].filter(Boolean).join(' ') : '';
  return `<section class="run">
<div><strong>Last run:</strong> <code>${esc(last.folder)}</code> ${badge(runVerdictKind(s), runVerdictWords(s))}</div>
<div class="scroll"><table>
<tr><th>target</th><td>${esc(s.target)}${impl ? ` <span class="note">(${esc(impl)})</span>` : ''}</td></tr>
<tr><th>started</th><td>${esc(s.startedAt)}, ${esc(Math.round((s.durationMs ?? 0) / 1000))} s</td></tr>
<tr><th>ICS policy</th><td>${esc(s.ics?.declared?.clientIdPolicy ?? '—')}</td></tr>
<tr><th>selection</th><td>${s.selection ? `${esc(s.selection.executed)} of ${esc(s.selection.selected)} selected scenarios executed, ${esc(s.selection.notApplicable)} not applicable` : '—'}${s.tags ? `; filtered with <code>${esc(s.tags)}</code> (partial)` : ''}</td></tr>
<tr><th>requirements</th><td>${totals || '—'}</td></tr>
${s.reasons?.length ? `<tr><th>why</th><td>${reasonsHtml(s.reasons)}</td></tr>` : ''}
<tr><th>files</th><td>${links.join(' · ')}</td></tr>
</table></div>
${ctx.featuresChanged ? '<p class="note"><strong>The feature files changed since this run;</strong> verdicts are matched by file and line and may belong to an earlier text.</p>' : ''}
${ctx.skipped.length ? `<p class="note">Not usable: ${ctx.skipped.map((x) => esc(x)).join('; ')}</p>` : ''}
</section>`;
}

/** The first reasons of a verdict; the certificate has them all. */
export function reasonsHtml(reasons: readonly string[], max = 4): string {
  const shown = reasons.slice(0, max).map((r) => `<li>${esc(r.length > 300 ? `${r.slice(0, 300)}…` : r)}</li>`);
  const more = reasons.length > max ? `<li class="note">… and ${esc(reasons.length - max)} more in the certificate</li>` : '';
  return `<ul class="plain">${shown.join('')}${more}</ul>`;
}

export function countBadges(ctx: Ctx, reqs: Requirement[]): string {
  if (!ctx.last) return badge('no-run', 'no run yet');
  const counts = new Map<string, number>();
  for (const r of reqs) {
    const v = ctx.requirementVerdicts.get(r.id)?.verdict ?? 'not tested';
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return VERDICT_ORDER.filter((v) => counts.has(v))
    .map((v) => badge(v, `${counts.get(v)} ${v}`))
    .join(' ');
}
