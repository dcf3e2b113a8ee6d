/**
 * gplint rule: no two scenarios share a name, and no two features, in one file or across the
 * files of one lint run, Rule blocks included (an outline counts once, under its own name with
 * <placeholders>). Reports, traces and the certificate name scenarios: a duplicate makes them
 * ambiguous. (gplint's no-dupe-* rules skip Rule blocks and remember names across runs.)
 */
import { relative } from 'node:path';
import type { Feature } from '@cucumber/messages';
import type { LintError } from '../walk';
import { errorAt, label, walk } from '../walk';

export const name = 'dpe-no-dupe-names';
export const availableConfigs = {};

/** "Scenario:name" or "Feature:name" -> where it was seen first, for the files of this run. */
const seen = new Map<string, { file: string; line: number }>();

/** Forget earlier runs: scripts/lint-features.ts calls it before each lint of a set of files. */
export function resetSeen(): void {
  seen.clear();
}

export function run({ feature, file }: { feature?: Feature; file?: { relativePath: string } }): LintError[] {
  if (!feature) return [];
  const path = file ? relative(process.cwd(), file.relativePath) || file.relativePath : '?';
  // Linting the same file again (a watch loop) must not find it a duplicate of itself.
  for (const [k, v] of seen) if (v.file === path) seen.delete(k);
  const errors: LintError[] = [];
  for (const w of walk(feature)) {
    if (w.kind !== 'Scenario' && w.kind !== 'Feature') continue;
    const title = w.node.name.trim();
    if (!title) continue; // dpe-named reports it
    const key = `${w.kind}:${title}`;
    const first = seen.get(key);
    if (first) errors.push(errorAt(name, w.node.location, `${label(w)} name "${title}" is already used at ${first.file}:${first.line}`));
    else seen.set(key, { file: path, line: w.node.location.line });
  }
  return errors;
}
