/**
 * gplint rule: nothing empty, Rule blocks included — a Feature with no scenario (neither
 * directly nor in a Rule), a Rule with no scenario, a Background or Scenario with no step, a
 * step with no text, an outline with no Examples, an Examples block with no header or no row.
 */
import type { Background, Examples, Feature, Rule, Scenario } from '@cucumber/messages';
import type { LintError } from '../walk';
import { errorAt, label, walk } from '../walk';

export const name = 'dpe-no-empty';
export const availableConfigs = {};

export function run({ feature }: { feature?: Feature }): LintError[] {
  if (!feature) return [];
  const errors: LintError[] = [];
  const nodes = walk(feature);
  if (!nodes.some((w) => w.kind === 'Scenario'))
    errors.push(errorAt(name, feature.location, 'Feature has no scenario, neither directly nor in a Rule'));
  for (const w of nodes) {
    if (w.kind === 'Rule') {
      const r = w.node as Rule;
      if (!r.children.some((c) => c.scenario)) errors.push(errorAt(name, r.location, `Rule "${r.name}" has no scenario`));
    }
    if (w.kind === 'Background' || w.kind === 'Scenario') {
      const n = w.node as Background | Scenario;
      if (n.steps.length === 0) errors.push(errorAt(name, n.location, `${label(w)} "${n.name}" has no step`));
      for (const s of n.steps)
        if (!s.text.trim()) errors.push(errorAt(name, s.location, `empty step "${s.keyword.trim()}" in ${label(w)} "${n.name}"`));
    }
    if (w.kind === 'Scenario') {
      const s = w.node as Scenario;
      const outline = /outline|template/i.test(s.keyword) || /<[^>\s]+>/.test(s.name);
      if (outline && s.examples.length === 0) errors.push(errorAt(name, s.location, `${label(w)} "${s.name}" has no Examples`));
    }
    if (w.kind === 'Examples') {
      const ex = w.node as Examples;
      if (!ex.tableHeader) errors.push(errorAt(name, ex.location, `Examples "${ex.name}" has no table`));
      else if (ex.tableBody.length === 0) errors.push(errorAt(name, ex.location, `Examples "${ex.name}" has a header but no row`));
    }
  }
  return errors;
}
