/**
 * The errata on the documentation site: those that touch a clause (named in their place in the
 * CR, or cited by its requirements or messages), each as a card, and the errata page.
 */
import { clausesNamedIn } from '../../src/requirements/clauses';
import type { Erratum } from '../../src/requirements/errata';
import { governsInWords } from '../docs-words';
import type { Ctx } from './context';
import { footer, nav, reqsOf } from './context';
import { clausePage, erratumAnchor, esc, page, prose } from './html';

export interface ErratumLink {
  erratum: Erratum;
  via: string[];
}

/** The errata that touch a clause, and how: named in their "where", or cited by its requirements or messages. */
export function errataOf(ctx: Ctx, clause: string): ErratumLink[] {
  const out: ErratumLink[] = [];
  const reqs = reqsOf(ctx, clause);
  const msgs = ctx.messages.filter((m) => m.clause === clause);
  for (const e of ctx.errata) {
    const via: string[] = [];
    const named =
      clause === 'binding'
        ? /\bbinding\b/i.test(e.where)
        : clausesNamedIn(
            e.where,
            ctx.clauses.map((c) => c.id),
          ).includes(clause);
    if (named) via.push(`its place in the CR: ${e.where}`);
    for (const r of reqs) {
      if (r.status.kind !== 'mandatory' && 'erratum' in r.status.when && r.status.when.erratum === e.id) {
        via.push(`${r.id} applies under its ${r.status.when.is} reading`);
      } else if (new RegExp(`\\b${e.id}\\b`).test(`${r.text} ${r.reasoning ?? ''} ${r.source.where}`)) {
        via.push(`${r.id} cites it`);
      }
    }
    for (const m of msgs) {
      for (const ie of m.ies) if (ie.lenient?.erratum === e.id) via.push(`${m.key} / ${ie.name} accepts its lenient spelling`);
    }
    if (via.length > 0) out.push({ erratum: e, via });
  }
  return out;
}

export function erratumHtml(e: Erratum, via: string[] | undefined, ctx: Ctx): string {
  const clauses = ctx.pageClauses.filter((c) => errataOf(ctx, c).some((l) => l.erratum.id === e.id));
  const rows: Array<[string, string]> = [
    ['Where', prose(e.where)],
    ['Problem', prose(e.problem)],
    ['Harness reading', prose(e.reading)],
    ['Governed by', prose(governsInWords(e))],
  ];
  if (e.strict) rows.push(['Strict', prose(e.strict)]);
  if (e.lenient) rows.push(['Lenient', prose(e.lenient)]);
  if (via) rows.push(['Touches this clause through', via.map((v) => prose(v)).join('<br>')]);
  else
    rows.push([
      'Clauses',
      clauses.length
        ? clauses.map((c) => `<a href="${esc(clausePage(c))}">${esc(c)}</a>`).join(', ')
        : '<span class="muted">none of the clause pages</span>',
    ]);
  return `<article class="erratum" id="${esc(erratumAnchor(e.id))}">
<h3>${esc(e.id)} · ${prose(e.title)}</h3>
<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>
</article>`;
}

export function errataPage(ctx: Ctx): string {
  const body = `<p class="lead">Every typo, inconsistency and open point found in the change request, and how the harness reads it (also in <a href="${esc(ctx.link('docs/errata.md'))}">docs/errata.md</a>). Each clause page lists those that touch it.</p>
${ctx.errata.map((e) => erratumHtml(e, undefined, ctx)).join('\n')}`;
  return page({
    title: 'Errata · DPE conformance',
    heading: 'Errata of the change request',
    nav: nav(ctx, 'errata.html'),
    body,
    footer: footer(ctx),
  });
}
