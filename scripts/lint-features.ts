/**
 * `npm run lint:features`: gplint over the feature files with .gplintrc and the project's own
 * rules (scripts/lint/rules/: they see scenarios inside `Rule:` blocks, which gplint 1.5.1's
 * structural rules skip).
 *
 *   node -r ts-node/register/transpile-only scripts/lint-features.ts [--format stylish|json] [path ...]
 *
 * Paths are feature files or folders (default: features/). Exit 0 clean, 1 problems found,
 * 2 usage mistake (a path that does not exist, or no feature file at all: linting nothing must
 * not pass).
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { lintInit } from 'gplint/build/linter';
import { print } from 'gplint/build/formatters/stylish';
import type { ErrorsByFile } from 'gplint';
import { featureFiles } from '../src/requirements/features';
import { resetSeen } from './lint/rules/dpe-no-dupe-names';

const ROOT = resolve(__dirname, '..');
export const CONFIG = join(ROOT, '.gplintrc');
export const RULES_DIR = join(ROOT, 'scripts', 'lint', 'rules');
const USAGE = 'usage: npm run lint:features -- [--format stylish|json] [feature file or folder ...]   (default: features/)';

export interface LintArgs {
  format: 'stylish' | 'json';
  files: string[];
}

/** The files to lint, or the usage mistake in words. */
export function parseLintArgs(argv: readonly string[], cwd = process.cwd()): LintArgs | string {
  let format: LintArgs['format'] = 'stylish';
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--format') {
      const v = argv[++i];
      if (v !== 'stylish' && v !== 'json') return `--format takes stylish or json, not ${v === undefined ? 'nothing' : `"${v}"`}`;
      format = v;
    } else if (a.startsWith('-')) return `unknown option "${a}"`;
    else paths.push(a);
  }
  const files: string[] = [];
  for (const p of paths.length ? paths : [join(ROOT, 'features')]) {
    const abs = resolve(cwd, p);
    if (!existsSync(abs)) return `${p}: no such file or folder`;
    if (statSync(abs).isDirectory()) files.push(...featureFiles(abs));
    else if (abs.endsWith('.feature')) files.push(abs);
    else return `${p}: not a .feature file or a folder`;
  }
  if (files.length === 0) return `no .feature file under ${paths.join(', ') || 'features/'}: nothing to lint`;
  return { format, files: [...new Set(files)] };
}

/** Lints one set of files; duplicates are looked for within that set only. */
export async function lintFeatures(files: string[]): Promise<ErrorsByFile[]> {
  resetSeen(); // the same module instance gplint loads from RULES_DIR (one require cache)
  const results = await lintInit(files, CONFIG, [RULES_DIR]);
  // gplint finishes files in I/O order; report them in path order.
  return results.sort((a, b) => a.filePath.localeCompare(b.filePath));
}

export function errorCount(results: ErrorsByFile[]): number {
  return results.reduce((n, r) => n + r.errors.filter((e) => e.level === 2).length, 0);
}

async function main(argv: string[]): Promise<number> {
  const args = parseLintArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  const results = await lintFeatures(args.files);
  const errors = errorCount(results);
  if (args.format === 'json') {
    const rel = results.map((r) => ({ ...r, filePath: relative(ROOT, r.filePath) }));
    process.stdout.write(`${JSON.stringify(rel, null, 2)}\n`);
  } else {
    const out = print(results);
    if (out.trim()) process.stdout.write(`${out}\n`);
    process.stdout.write(
      errors
        ? `${errors} problem(s) in the feature files (rules: .gplintrc)\n`
        : `Linted ${args.files.length} feature files: no problems.\n`,
    );
  }
  return errors ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`lint:features failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
