/**
 * gplint rule: no two scenarios share a name, in one file or across the files of one lint run,
 * Rule blocks included (an outline counts once, under its own name with <placeholders>). A
 * duplicate makes reports and the certificate ambiguous: they name scenarios.
 */
import { relative } from 'node:path';
import type { Feature, Scenario } from '@cucumber/messages';
import { errorAt, walk, type LintError } from '../walk';

export const name = 'dpe-no-dupe-scenario-names';
export const availableConfigs = {};

/** name -> where it was seen first, for the files linted so far in this process. */
const seen = new Map<string, { file: string; line: number }>();

export function run({ feature, file }: { feature?: Feature; file?: { relativePath: string } }): LintError[] {
  if (!feature) return [];
  const path = file ? relative(process.cwd(), file.relativePath) || file.relativePath : '?';
  // Linting the same file again (a watch loop, a test) must not find it a duplicate of itself.
  for (const [k, v] of seen) if (v.file === path) seen.delete(k);
  const errors: LintError[] = [];
  for (const w of walk(feature)) {
    if (w.kind !== 'Scenario') continue;
    const s = w.node as Scenario;
    const key = s.name.trim();
    if (!key) continue; // dpe-named reports it
    const first = seen.get(key);
    if (first) errors.push(errorAt(name, s.location, `Scenario name "${key}" is already used at ${first.file}:${first.line}`));
    else seen.set(key, { file: path, line: s.location.line });
  }
  return errors;
}
