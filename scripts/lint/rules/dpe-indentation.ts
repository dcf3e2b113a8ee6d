/**
 * gplint rule: two spaces per level, Rule blocks included — Feature at 0; its Background, Rules
 * and Scenarios at 2; those of a Rule at 4; steps and Examples two deeper than their scenario;
 * table rows and doc strings two deeper than their step or Examples; tags in the column of
 * the line they tag. (gplint's own indentation rule has fixed columns per keyword and does
 * not look inside Rule blocks.)
 */
import type { Background, Examples, Feature, Scenario, Tag } from '@cucumber/messages';
import type { LintError, WalkedNode } from '../walk';
import { errorAt, label, walk } from '../walk';

export const name = 'dpe-indentation';
export const availableConfigs = { step: 2 };

export function run({ feature }: { feature?: Feature }, config?: { step?: number }): LintError[] {
  if (!feature) return [];
  const unit = config?.step ?? 2;
  const errors: LintError[] = [];
  const expect = (what: string, at: { line: number; column?: number }, indent: number) => {
    const got = (at.column ?? 1) - 1;
    if (got !== indent) errors.push(errorAt(name, at, `${what} is indented ${got}, expected ${indent}`));
  };
  const tags = (ts: readonly Tag[], indent: number, what: string) => {
    const firstOnLine = new Map<number, Tag>();
    for (const t of ts)
      if (!firstOnLine.has(t.location.line) || t.location.column! < firstOnLine.get(t.location.line)!.location.column!)
        firstOnLine.set(t.location.line, t);
    for (const t of firstOnLine.values()) expect(`the tags of ${what}`, t.location, indent);
  };
  const depth = new Map<WalkedNode, number>();
  for (const w of walk(feature)) {
    const d = w.parent ? depth.get(w.parent)! + 1 : 0;
    depth.set(w, d);
    const indent = d * unit;
    const what = `${label(w)} "${w.node.name}"`;
    const got = (w.node.location.column ?? 1) - 1;
    if (w.kind === 'Scenario' && w.parent?.kind === 'Rule' && got === indent - unit) {
      // Gherkin has no way back out of a Rule: a Scenario written after one belongs to it.
      errors.push(
        errorAt(
          name,
          w.node.location,
          `${what} is indented ${got}, expected ${indent}: it follows Rule "${w.parent.node.name}" and so belongs to it (put Feature-level scenarios before the first Rule)`,
        ),
      );
    } else expect(what, w.node.location, indent);
    if ('tags' in w.node) tags(w.node.tags, indent, what);
    if (w.kind === 'Background' || w.kind === 'Scenario') {
      for (const s of (w.node as Background | Scenario).steps) {
        expect(`step "${s.keyword.trim()} ${s.text}"`, s.location, indent + unit);
        for (const row of s.dataTable?.rows ?? []) expect('a table row', row.location, indent + 2 * unit);
        if (s.docString) expect('a doc string', s.docString.location, indent + 2 * unit);
      }
    }
    if (w.kind === 'Examples') {
      const ex = w.node as Examples;
      for (const row of [...(ex.tableHeader ? [ex.tableHeader] : []), ...ex.tableBody])
        expect('an Examples row', row.location, indent + unit);
    }
  }
  return errors;
}
