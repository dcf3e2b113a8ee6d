/** gplint rule: every Feature, Rule and Scenario has a name, Rule blocks included. */
import type { Feature } from '@cucumber/messages';
import type { LintError } from '../walk';
import { errorAt, label, walk } from '../walk';

export const name = 'dpe-named';
export const availableConfigs = {};

export function run({ feature }: { feature?: Feature }): LintError[] {
  if (!feature) return [];
  return walk(feature)
    .filter((w) => (w.kind === 'Feature' || w.kind === 'Rule' || w.kind === 'Scenario') && !w.node.name.trim())
    .map((w) => errorAt(name, w.node.location, `${label(w)} has no name`));
}
