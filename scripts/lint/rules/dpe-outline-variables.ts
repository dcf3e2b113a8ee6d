/**
 * gplint rule: in a Scenario Outline, every <placeholder> of its name, steps, tables and doc
 * strings is a column of each of its Examples tables, and every column is used — Rule blocks
 * included (gplint's no-unused-variables does not look inside them). A missing column leaves
 * "<policy>" in a step text, which then matches no step or the wrong one.
 */
import type { Examples, Feature, Scenario } from '@cucumber/messages';
import type { LintError } from '../walk';
import { errorAt, walk } from '../walk';

export const name = 'dpe-outline-variables';
export const availableConfigs = {};

const PLACEHOLDER = /<((?! )[^<>]+(?<! ))>/g;

function used(s: Scenario): Set<string> {
  const texts = [s.name];
  for (const st of s.steps) {
    texts.push(st.text);
    for (const row of st.dataTable?.rows ?? []) for (const c of row.cells) texts.push(c.value);
    if (st.docString) texts.push(st.docString.content);
  }
  return new Set(texts.flatMap((t) => [...t.matchAll(PLACEHOLDER)].map((m) => m[1]!)));
}

export function run({ feature }: { feature?: Feature }): LintError[] {
  if (!feature) return [];
  const errors: LintError[] = [];
  for (const w of walk(feature)) {
    if (w.kind !== 'Scenario') continue;
    const s = w.node as Scenario;
    if (s.examples.length === 0) continue;
    const vars = used(s);
    for (const ex of s.examples as readonly Examples[]) {
      if (!ex.tableHeader) continue; // dpe-no-empty reports it
      const cols = new Set(ex.tableHeader.cells.map((c) => c.value));
      for (const v of vars)
        if (!cols.has(v))
          errors.push(errorAt(name, ex.location, `<${v}> is used in "${s.name}" but Examples "${ex.name}" has no column "${v}"`));
      for (const c of ex.tableHeader.cells)
        if (!vars.has(c.value))
          errors.push(errorAt(name, c.location, `column "${c.value}" of Examples "${ex.name}" is not used in "${s.name}"`));
    }
  }
  return errors;
}
