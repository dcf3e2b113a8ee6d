/** docs/requirements.md, from src/requirements/catalog.ts: every requirement by clause, with its source, force, status and review. */
import { REQUIREMENTS } from '../src/requirements/catalog';
import { forceInWords, forceOf, SOURCE_WORDS } from '../src/requirements/force';
import type { Requirement } from '../src/requirements/types';
import { reviewInWords, statusInWords } from './docs-words';
import { CLAUSE_TITLES, groupByClause, header, table } from './gen-docs-markdown';

export function renderRequirements(reqs: readonly Requirement[] = REQUIREMENTS): string {
  const out: string[] = [];
  out.push(header('src/requirements/catalog.ts'));
  out.push('# Requirements\n');
  out.push(
    'Every normative statement of the change request, the rules the harness derives from it and the ' +
      'rules of the wire binding, each with the id that scenarios carry as `@req-<id>` (and ' +
      '`@clause-<clause>`). Texts are paraphrases; the CR is the authority. Status is the static ' +
      'conformance status: whether the requirement applies, given the ICS of the implementation. ' +
      'Source says what states each rule: the CR text, a CR table, the binding, or nothing (derived: the ' +
      "harness's own reading, with its reasoning below each clause). Force says what a failed check does: " +
      'CR text, CR tables and the binding fail the run; a derived rule only warns (the run passes "with ' +
      'warnings"), unless the ICS itself declares the erratum reading it rests on. ' +
      'Errata (E01, …) are explained in [errata.md](errata.md).\n',
  );
  const count = (f: (r: Requirement) => string) => {
    const m = new Map<string, number>();
    for (const r of reqs) m.set(f(r), (m.get(f(r)) ?? 0) + 1);
    return [...m].map(([k, n]) => `${n} ${k}`).join(', ');
  };
  out.push(
    `${reqs.length} requirements by source: ${count((r) => SOURCE_WORDS[r.source.kind])}; ` +
      `by force: ${count((r) => forceOf(r))}; ` +
      `${reqs.filter((r) => r.review === 'reviewed').length} reviewed.\n`,
  );
  for (const [clause, list] of groupByClause(reqs)) {
    const title = CLAUSE_TITLES[clause];
    out.push(`## ${clause === 'binding' ? 'Binding' : clause}${title ? ` — ${title}` : ''}\n`);
    out.push(
      table(
        ['id', 'clause', 'level', 'source', 'force', 'status', 'review', 'text'],
        list.map((r) => [
          `\`${r.id}\``,
          r.clause,
          r.level,
          `${SOURCE_WORDS[r.source.kind]}: ${r.source.where}`,
          forceInWords(r),
          r.level === 'informative' ? 'informative — no verdict on the server' : statusInWords(r.status),
          reviewInWords(r),
          r.text,
        ]),
      ),
    );
    const notes = list.filter((r) => r.reasoning);
    if (notes.length > 0) {
      out.push('Reasoning and notes:\n');
      for (const r of notes) out.push(`- \`${r.id}\`${r.source.kind === 'derived' ? ' (derived)' : ''}: ${r.reasoning}`);
      out.push('');
    }
  }
  return out.join('\n');
}
