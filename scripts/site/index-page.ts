/**
 * The index page of the documentation site: what the site is for, a card per clause, the last
 * run and the other runs found, and how to read the pages.
 */
import { forceOf, SOURCE_WORDS } from '../../src/requirements/force';
import type { Ctx } from './context';
import { clauseTitle, footer, nav, onPageOf, reqsOf } from './context';
import { errataOf } from './errata';
import { badge, clausePage, esc, page, prose, table } from './html';
import type { FoundRun } from './last-run';
import { runVerdictKind, runVerdictWords } from './last-run';
import { countBadges, runBox } from './run-box';

export function indexPage(ctx: Ctx): string {
  const cards = ctx.pageClauses.map((c) => {
    const reqs = reqsOf(ctx, c);
    const views = ctx.views.filter((v) => onPageOf(ctx, c, v));
    const reviewed = reqs.filter((r) => r.review === 'reviewed').length;
    const fails = reqs.filter((r) => forceOf(r) === 'fails').length;
    const rule = ctx.clauses.find((x) => x.id === c)?.rule ?? '';
    const first = rule.split(/(?<=\.)\s/)[0] ?? '';
    return `<article class="card">
<h3><a href="${esc(clausePage(c))}">${esc(clauseTitle(ctx, c))}</a></h3>
<p class="note">${prose(first)}</p>
<div>${esc(reqs.length)} requirements (${esc(fails)} fail a run) · ${esc(views.length)} scenarios · ${esc(errataOf(ctx, c).length)} errata</div>
<div class="counts">${badge(reviewed === reqs.length && reqs.length > 0 ? 'reviewed' : 'proposed', `${reviewed} of ${reqs.length} reviewed`)} ${countBadges(ctx, reqs)}</div>
</article>`;
  });
  const reviewed = ctx.reqs.filter((r) => r.review === 'reviewed').length;
  const bySource = Object.entries(SOURCE_WORDS)
    .map(([k, w]) => [w, ctx.reqs.filter((r) => r.source.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([w, n]) => `${n} ${w}`)
    .join(', ');
  const runs = [ctx.last, ...ctx.otherRuns].filter((r): r is FoundRun => r !== undefined);
  const runsTable =
    runs.length > 1
      ? `<h2>Runs found</h2>
<p class="note">The pages show the newest. Others, for reference:</p>
${table(
  ['run', 'verdict', 'started', 'target', 'certificate'],
  runs.map((r, i) => [
    `<code>${esc(r.folder)}</code>${i === 0 ? ' <span class="note">(shown)</span>' : ''}`,
    badge(runVerdictKind(r.summary), runVerdictWords(r.summary)),
    esc(r.summary.startedAt),
    esc(r.summary.target),
    `<a href="${esc(ctx.link(r.file))}">summary.json</a>`,
  ]),
)}`
      : '';
  const body = `<p class="lead">For the editors of the DPE TS and for reviewers: per clause of the change request (and of the wire binding), the rule in the project's words, the requirements the harness reads out of it — with their source, normative force and review status — the scenarios that check them, as Gherkin, the errata that touch the clause, and what the last run found.</p>
<p>${esc(ctx.reqs.length)} requirements (${esc(bySource)}); ${esc(reviewed)} reviewed, ${esc(ctx.reqs.length - reviewed)} proposed. ${esc(ctx.views.length)} scenarios in ${esc(ctx.features.length)} feature files. ${esc(ctx.errata.length)} errata. How a requirement moves from proposed to reviewed: <a href="${esc(ctx.link('CONTRIBUTING.md'))}">CONTRIBUTING.md</a>.</p>
${runBox(ctx)}
<h2>Clauses</h2>
<div class="cards">
${cards.join('\n')}
</div>
${runsTable}
<h2>Reading the pages</h2>
<ul>
<li><strong>Source</strong>: CR text, a CR table, the binding, or derived (the harness's own reading, with its reasoning).</li>
<li><strong>Force</strong>: what a failed check does — CR text, CR tables and the binding fail the run; a derived rule warns, unless the ICS declares the erratum reading it rests on.</li>
<li><strong>Review</strong>: <em>proposed</em> until someone other than its author has checked it against its source; then <em>reviewed</em>, signed with who and when.</li>
<li><strong>Last run</strong>: the verdict of the requirement or scenario in the newest <code>summary.json</code> under reports/.</li>
</ul>`;
  return page({ title: 'DPE conformance — living documentation', nav: nav(ctx, 'index.html'), body, footer: footer(ctx) });
}
