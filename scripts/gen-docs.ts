/**
 * Generates the reference documents from their single sources:
 *   docs/errata.md        <- src/requirements/errata.ts (scripts/gen-docs-errata.ts)
 *   docs/requirements.md  <- src/requirements/catalog.ts (scripts/gen-docs-requirements.ts)
 *   docs/messages.md      <- src/catalog/messages.ts (scripts/gen-docs-messages.ts)
 *   docs/freedoms.md      <- src/requirements/freedoms.ts (scripts/gen-docs-freedoms.ts)
 * and the documentation site for spec editors (scripts/site/), not committed:
 *   reports/site/         <- the above, src/requirements/clauses.ts, features/ and reports/<run>/summary.json
 *
 *   node -r ts-node/register/transpile-only scripts/gen-docs.ts          write the docs and the site
 *   node -r ts-node/register/transpile-only scripts/gen-docs.ts --check  exit 1 if the docs are stale (CI);
 *                                                                        the site is built all the same
 *   options: --site-dir <dir> (default reports/site), --reports-dir <dir> (default reports)
 *
 * The Markdown is deterministic (no dates), so the check compares bytes. The site shows the
 * last run of this machine, so it is rebuilt, never compared.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CLAUSE_ORDER } from '../src/requirements/clauses';
import { conditionInWords, reviewInWords, statusInWords } from './docs-words';
import { renderErrata } from './gen-docs-errata';
import { renderFreedoms } from './gen-docs-freedoms';
import { COMMAND, header } from './gen-docs-markdown';
import { renderMessages } from './gen-docs-messages';
import { renderRequirements } from './gen-docs-requirements';
import { buildSite, DEFAULT_SITE_DIR, writeSite } from './site/site';

export { conditionInWords, reviewInWords, statusInWords };
export { COMMAND, renderErrata, renderMessages, renderRequirements };

const ROOT = resolve(__dirname, '..');

/** Clause order of the CR, then the binding (src/requirements/clauses.ts); clauses not listed there follow in order of appearance. */
export { CLAUSE_ORDER };

// ----------------------------------------------------------------------------- write / check

export function generateDocs(): Record<string, string> {
  return {
    'docs/errata.md': renderErrata(),
    'docs/requirements.md': renderRequirements(),
    'docs/messages.md': renderMessages(),
    'docs/freedoms.md': renderFreedoms(header('src/requirements/freedoms.ts')),
  };
}

/** Paths (relative to the repository root) whose committed content differs from what would be generated. */
export function checkGeneratedDocs(root: string = ROOT): string[] {
  const stale: string[] = [];
  for (const [rel, content] of Object.entries(generateDocs())) {
    const path = join(root, rel);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== content) stale.push(rel);
  }
  return stale;
}

export function writeGeneratedDocs(root: string = ROOT): string[] {
  const written: string[] = [];
  for (const [rel, content] of Object.entries(generateDocs())) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path) || readFileSync(path, 'utf8') !== content) {
      writeFileSync(path, content);
      written.push(rel);
    }
  }
  return written;
}

const USAGE = `usage: ${COMMAND} [--check] [--site-dir <dir>] [--reports-dir <dir>]
  --check              exit 1 when a generated doc under docs/ differs from what its source gives
  --site-dir <dir>     where the documentation site is written (default ${DEFAULT_SITE_DIR})
  --reports-dir <dir>  where runs left their summary.json (default reports)
`;

export interface DocsArgs {
  check: boolean;
  siteDir: string;
  reportsDir: string;
}

/** The command line, or the usage mistake in words. */
export function parseDocsArgs(argv: readonly string[]): DocsArgs | string {
  const out: DocsArgs = { check: false, siteDir: DEFAULT_SITE_DIR, reportsDir: 'reports' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--check') out.check = true;
    else if (a === '--site-dir' || a === '--reports-dir') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) return `${a} needs a folder, e.g. ${a} ${a === '--site-dir' ? DEFAULT_SITE_DIR : 'reports'}`;
      if (a === '--site-dir') out.siteDir = v;
      else out.reportsDir = v;
    } else return `unknown argument "${a}"`;
  }
  return out;
}

/** Builds and writes the site; a line for people, or throws with what is wrong. */
function site(args: DocsArgs): string {
  const siteDir = resolve(ROOT, args.siteDir);
  const built = buildSite({ root: ROOT, reportsDir: args.reportsDir, siteDir });
  writeSite(siteDir, built);
  const pages = Object.keys(built.files).filter((f) => f.endsWith('.html')).length;
  const run = built.lastRun ? `verdicts of run ${built.lastRun.folder}` : 'no run yet';
  const skipped = built.skipped.length ? `\nNot usable (skipped): ${built.skipped.join('; ')}` : '';
  return `Documentation site: ${join(relativeToRoot(siteDir), 'index.html')} (${pages} pages, ${run})${skipped}\n`;
}

function relativeToRoot(p: string): string {
  const rel = p.startsWith(`${ROOT}/`) ? p.slice(ROOT.length + 1) : p;
  return rel || '.';
}

function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const args = parseDocsArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}`);
    return 2;
  }
  let code = 0;
  if (args.check) {
    const stale = checkGeneratedDocs();
    if (stale.length > 0) {
      process.stderr.write(`Generated docs are out of date: ${stale.join(', ')}\nRun: ${COMMAND}\n`);
      code = 1;
    } else process.stdout.write('Generated docs are up to date.\n');
  } else {
    const written = writeGeneratedDocs();
    process.stdout.write(written.length > 0 ? `Wrote ${written.join(', ')}\n` : 'Docs already up to date.\n');
  }
  try {
    process.stdout.write(site(args));
  } catch (e) {
    process.stderr.write(`The documentation site was not built: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  return code;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
