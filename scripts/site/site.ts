/**
 * The documentation site for spec editors (issue 11, item 4): one page per clause with the rule
 * in the project's words, its requirements (source, force, applicability, review status), the
 * messages it tables, its scenarios as Gherkin, the errata that touch it and the verdicts of the
 * last run; an index page; an errata page. Built by `npm run docs` (scripts/gen-docs.ts) from
 * src/requirements (catalog, clauses, errata), src/catalog/messages.ts, features/ and
 * reports/<run>/summary.json when a run left one. Not committed: it shows a machine's last run.
 *
 * buildSite(input) -> { files } is pure apart from reading its inputs; writeSite writes them.
 * The pages: index-page.ts, clause-page.ts (with requirements.ts) and errata.ts, from the
 * context gathered here (context.ts); the last run's box in run-box.ts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REQUIREMENTS } from '../../src/requirements/catalog';
import type { Clause } from '../../src/requirements/clauses';
import { CLAUSES } from '../../src/requirements/clauses';
import type { Erratum } from '../../src/requirements/errata';
import { ERRATA } from '../../src/requirements/errata';
import { featureFiles } from '../../src/requirements/features';
import { CLAUSE_TAG } from '../../src/requirements/applicability';
import type { Requirement } from '../../src/requirements/types';
import type { MessageDef } from '../../src/catalog/messages';
import { MESSAGES } from '../../src/catalog/messages';
import { suiteScenarios } from '../../src/report/suite-scenarios';
import { clausePageHtml } from './clause-page';
import type { Ctx } from './context';
import { errataPage } from './errata';
import { allTagsOf, parseFeature, scenarioViews } from './gherkin';
import type { VerdictView } from './gherkin-html';
import { clausePage, STYLE } from './html';
import { indexPage } from './index-page';
import type { FoundRun } from './last-run';
import { findRuns } from './last-run';

export interface SiteInput {
  /** Repository root: features/ and docs/ are found from it. */
  root: string;
  /** Default <root>/features. */
  featuresDir?: string;
  /** Where runs left their folders (default <root>/reports). */
  reportsDir?: string;
  /** Where the site will be written (default <root>/reports/site); links to files are relative to it. */
  siteDir?: string;
  requirements?: readonly Requirement[];
  errata?: readonly Erratum[];
  clauses?: readonly Clause[];
  messages?: readonly MessageDef[];
}

export interface Site {
  /** Path relative to the site folder -> content. */
  files: Record<string, string>;
  /** The run whose verdicts the pages show, if any. */
  lastRun?: FoundRun;
  /** summary.json files that were not usable, with why. */
  skipped: string[];
}

export const DEFAULT_SITE_DIR = join('reports', 'site');

// --------------------------------------------------------------------------------- build

export function buildSite(input: SiteInput): Site {
  const root = resolve(input.root);
  const featuresDir = resolve(root, input.featuresDir ?? 'features');
  const reportsDir = resolve(root, input.reportsDir ?? 'reports');
  const siteDir = resolve(root, input.siteDir ?? DEFAULT_SITE_DIR);
  const reqs = input.requirements ?? REQUIREMENTS;
  const clauses = [...(input.clauses ?? CLAUSES)];
  const features = featureFiles(featuresDir).map((f) => parseFeature(relative(root, f).split('\\').join('/'), readFileSync(f, 'utf8')));
  const views = features.flatMap(scenarioViews);

  // Pages: the known clauses in order, then any other clause a requirement or a tag names.
  const named = [
    ...reqs.map((r) => r.clause),
    ...views.flatMap((v) =>
      allTagsOf(v)
        .filter((t) => t.startsWith(CLAUSE_TAG))
        .map((t) => t.slice(CLAUSE_TAG.length)),
    ),
  ];
  const pageClauses = [
    ...clauses.map((c) => c.id).filter((id) => named.includes(id)),
    ...new Set(named.filter((id) => !clauses.some((c) => c.id === id))),
  ];

  const found = findRuns(reportsDir);
  const last = found.runs[0];
  const scenarioVerdicts = new Map<string, VerdictView>();
  const requirementVerdicts = new Map<string, { verdict: string; reason?: string }>();
  let featuresChanged = false;
  if (last) {
    for (const s of last.summary.scenarios) scenarioVerdicts.set(s.location, { verdict: s.verdict, reason: s.reason, name: s.name });
    for (const r of last.summary.requirements) requirementVerdicts.set(r.id, { verdict: r.verdict, reason: r.reason });
    featuresChanged = last.summary.suite?.featuresDigest !== suiteScenarios(featuresDir, root).digest;
  }
  const ctx: Ctx = {
    reqs,
    errata: input.errata ?? ERRATA,
    clauses,
    messages: input.messages ?? MESSAGES,
    features,
    views,
    pageClauses,
    last,
    otherRuns: found.runs.slice(1),
    skipped: found.skipped.map((s) => relative(root, s) || s),
    featuresChanged,
    link: (p) => relative(siteDir, resolve(root, p)).split('\\').join('/'),
    reportsDir,
    scenarioVerdicts,
    requirementVerdicts,
  };
  const files: Record<string, string> = { 'style.css': STYLE, 'index.html': indexPage(ctx), 'errata.html': errataPage(ctx) };
  for (const c of pageClauses) files[clausePage(c)] = clausePageHtml(ctx, c);
  return { files, lastRun: last, skipped: ctx.skipped };
}

/** Marker file of a folder this generator wrote: only such a folder is cleared before a rebuild. */
export const SITE_MARKER = '.dpe-docs-site';

/**
 * Writes the site into dir. A folder an earlier build wrote (it holds SITE_MARKER) loses its old
 * pages first, so a clause that went away leaves no stale page; any other non-empty folder is
 * refused, so a mistyped --site-dir never deletes someone's files.
 */
export function writeSite(dir: string, site: Site): string[] {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder: choose another --site-dir`);
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(SITE_MARKER)) {
      throw new Error(`${dir} is not empty and was not written by npm run docs (no ${SITE_MARKER}): choose an empty or new --site-dir`);
    }
    for (const e of entries) if (e === SITE_MARKER || /\.(html|css)$/.test(e)) rmSync(join(dir, e), { force: true });
  }
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [rel, content] of Object.entries(site.files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push(path);
  }
  writeFileSync(
    join(dir, SITE_MARKER),
    'Written by npm run docs (scripts/gen-docs.ts); the folder is cleared and rewritten on every build.\n',
  );
  return written;
}
