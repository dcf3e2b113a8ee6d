/**
 * gplint rule: the tags the project uses, and only those, each once per inheritance chain.
 *  - `@req-<id>` must name a requirement of src/requirements/catalog.ts and `@clause-<clause>` a
 *    clause of src/requirements/clauses.ts (a typo would leave a requirement untested in silence);
 *  - `@needs-<what>` must name a harness need of src/requirements/applicability.ts (HARNESS_NEEDS);
 *  - any other tag must be listed in the rule's `allow` option;
 *  - a tag may not repeat on one node, nor repeat one the node inherits (Feature -> Rule ->
 *    Scenario -> Examples), Rule blocks included;
 *  - tags on one line are separated by one space.
 * That every scenario carries a @req- and a @clause- tag is gplint's own required-tags (global,
 * on pickles, so it sees scenarios inside Rule blocks).
 */
import type { Feature, Tag } from '@cucumber/messages';
import { REQUIREMENTS } from '../../../src/requirements/catalog';
import { CLAUSE_ORDER } from '../../../src/requirements/clauses';
import { HARNESS_NEEDS, NEEDS_TAG } from '../../../src/requirements/applicability';
import type { LintError } from '../walk';
import { errorAt, label, walk } from '../walk';

export const name = 'dpe-tags';
export const availableConfigs = { allow: [] as string[] };

const REQ = '@req-';
const CLAUSE = '@clause-';

export function run({ feature }: { feature?: Feature }, config?: { allow?: string[] }): LintError[] {
  if (!feature) return [];
  const allow = new Set(config?.allow ?? []);
  const ids = new Set(REQUIREMENTS.map((r) => r.id));
  const clauses = new Set(CLAUSE_ORDER);
  const errors: LintError[] = [];
  for (const w of walk(feature)) {
    const own: readonly Tag[] = 'tags' in w.node ? w.node.tags : [];
    const mine = new Set<string>();
    const byPosition = [...own].sort((a, b) => a.location.line - b.location.line || (a.location.column ?? 0) - (b.location.column ?? 0));
    byPosition.forEach((t, i) => {
      const prev = byPosition[i - 1];
      if (
        prev &&
        prev.location.line === t.location.line &&
        (t.location.column ?? 0) !== (prev.location.column ?? 0) + prev.name.length + 1
      ) {
        errors.push(errorAt(name, t.location, `${t.name}: put exactly one space between tags`));
      }
    });
    for (const t of own) {
      if (mine.has(t.name)) errors.push(errorAt(name, t.location, `${t.name} appears twice on this ${label(w)}`));
      mine.add(t.name);
      const inheritedFrom = w.inherited.find((x) => x.name === t.name);
      if (inheritedFrom)
        errors.push(errorAt(name, t.location, `${t.name} is already inherited (line ${inheritedFrom.location.line}); remove it here`));
      if (t.name.startsWith(REQ)) {
        if (!ids.has(t.name.slice(REQ.length)))
          errors.push(errorAt(name, t.location, `${t.name} names no requirement of src/requirements/catalog.ts`));
      } else if (t.name.startsWith(CLAUSE)) {
        if (!clauses.has(t.name.slice(CLAUSE.length)))
          errors.push(errorAt(name, t.location, `${t.name} names no clause of src/requirements/clauses.ts (${[...clauses].join(', ')})`));
      } else if (t.name.startsWith(NEEDS_TAG)) {
        if (!(t.name.slice(NEEDS_TAG.length) in HARNESS_NEEDS))
          errors.push(
            errorAt(
              name,
              t.location,
              `${t.name} names no harness need of src/requirements/applicability.ts (${Object.keys(HARNESS_NEEDS)
                .map((n) => NEEDS_TAG + n)
                .join(', ')})`,
            ),
          );
      } else if (!allow.has(t.name)) {
        errors.push(
          errorAt(
            name,
            t.location,
            `${t.name} is not a tag the project uses (@req-<id>, @clause-<clause>, or one listed in .gplintrc dpe-tags.allow)`,
          ),
        );
      }
    }
  }
  return errors;
}
