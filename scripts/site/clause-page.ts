/**
 * A clause's page on the documentation site: the rule in the project's words, its requirements,
 * the messages it tables, its scenarios as Gherkin with the last run's verdicts, and the errata
 * that touch it.
 */
import type { MessageDef } from '../../src/catalog/messages';
import type { Ctx } from './context';
import { clausesOfView, clauseTitle, footer, nav, onPageOf, reqsOf, tagHref } from './context';
import { errataOf, erratumHtml } from './errata';
import { renderFeature } from './gherkin-html';
import { badge, clausePage, esc, page, prose, table } from './html';
import { runVerdictKind, runVerdictWords } from './last-run';
import { requirementCard, requirementOverview } from './requirements';

export function messageHtml(m: MessageDef): string {
  const rows = m.ies.map((ie) => [
    `<code>${esc(ie.name)}</code>`,
    ie.required ? 'mandatory' : 'optional',
    esc(ie.type === 'Bag' ? 'Bag (string)' : ie.type) + (ie.nullable ? ' <span class="note">or null</span>' : ''),
    prose(ie.description) +
      (ie.lenient
        ? `<div class="note">lenient reading (${esc(ie.lenient.erratum)}): ${[ie.lenient.name && `name <code>${esc(ie.lenient.name)}</code>`, ie.lenient.value && `value <code>${esc(ie.lenient.value)}</code>`].filter(Boolean).join(', ')}</div>`
        : ''),
  ]);
  return `<h3 id="msg-${esc(m.key.replace(/[^A-Za-z0-9]+/g, '-'))}"><code>${esc(m.key)}</code> <span class="note">${esc(m.interface)}, ${esc(m.direction)}</span></h3>
<p>${prose(m.summary)}</p>
${table(['IE', 'req', 'type', 'description'], rows)}`;
}

export function clausePageHtml(ctx: Ctx, clause: string): string {
  const c = ctx.clauses.find((x) => x.id === clause);
  const reqs = reqsOf(ctx, clause);
  const views = ctx.views.filter((v) => onPageOf(ctx, clause, v));
  const msgs = ctx.messages.filter((m) => m.clause === clause);
  const errata = errataOf(ctx, clause);
  const features = ctx.features
    .map((pf) =>
      renderFeature(pf, {
        include: (v) => onPageOf(ctx, clause, v),
        verdictAt: (loc) => ctx.scenarioVerdicts.get(loc),
        hasRun: ctx.last !== undefined,
        tagHref: (t) => tagHref(ctx, t),
        omittedNote: (omitted) => {
          const others = [...new Set(omitted.flatMap((v) => clausesOfView(ctx, v)))];
          const where = others.length
            ? ` on the pages of ${others.map((o) => `<a href="${esc(clausePage(o))}">${esc(o)}</a>`).join(', ')}`
            : '';
          return `This feature has ${esc(omitted.length)} more scenario${omitted.length === 1 ? '' : 's'}${where}.`;
        },
      }),
    )
    .filter(Boolean);
  const lastNote = ctx.last
    ? `<p class="note">Verdicts from the last run, <code>${esc(ctx.last.folder)}</code>: ${badge(runVerdictKind(ctx.last.summary), runVerdictWords(ctx.last.summary))} (${esc(ctx.last.summary.startedAt)}).${ctx.featuresChanged ? ' The feature files changed since.' : ''}</p>`
    : `<p class="note">${badge('no-run', 'no run yet')} No run has left a summary.json under reports/, so no verdicts are shown.</p>`;
  const body = `<p class="note">${c ? `In the CR: ${esc(c.inCr)}.` : ''} ${esc(reqs.length)} requirements · ${esc(views.length)} scenarios · ${esc(errata.length)} errata</p>
<h2 id="rule">The rule</h2>
<div class="rule-text">${c ? prose(c.rule) : '<span class="muted">No summary of this clause yet (src/requirements/clauses.ts).</span>'}</div>
${lastNote}
<h2 id="requirements">Requirements</h2>
${reqs.length ? `${requirementOverview(ctx, reqs)}\n${reqs.map((r) => requirementCard(ctx, r)).join('\n')}` : '<p class="muted">No requirement of the catalog has this clause.</p>'}
${msgs.length ? `<h2 id="messages">Messages</h2>\n${msgs.map(messageHtml).join('\n')}` : ''}
<h2 id="scenarios">Scenarios</h2>
${features.length ? features.join('\n') : '<p class="muted">No scenario is tagged with this clause or one of its requirements.</p>'}
<h2 id="errata">Errata that touch this clause</h2>
${errata.length ? errata.map((l) => erratumHtml(l.erratum, l.via, ctx)).join('\n') : '<p class="muted">None.</p>'}`;
  return page({
    title: `${clauseTitle(ctx, clause)} · DPE conformance`,
    heading: clauseTitle(ctx, clause),
    nav: nav(ctx, clausePage(clause)),
    body,
    footer: footer(ctx),
  });
}
