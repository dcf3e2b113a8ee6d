/**
 * The documentation site for spec editors (issue 11, item 4): one page per clause with the rule
 * in the project's words, its requirements (source, force, applicability, review status), the
 * messages it tables, its scenarios as Gherkin, the errata that touch it and the verdicts of the
 * last run; an index page; an errata page. Built by `npm run docs` (scripts/gen-docs.ts) from
 * src/requirements (catalog, clauses, errata), src/catalog/messages.ts, features/ and
 * reports/<run>/summary.json when a run left one. Not committed: it shows a machine's last run.
 *
 * buildSite(input) -> { files } is pure apart from reading its inputs; writeSite writes them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REQUIREMENTS } from '../../src/requirements/catalog';
import { CLAUSES, clausesNamedIn, type Clause } from '../../src/requirements/clauses';
import { ERRATA, type Erratum } from '../../src/requirements/errata';
import { featureFiles } from '../../src/requirements/features';
import { forceInWords, forceOf, SOURCE_WORDS } from '../../src/requirements/force';
import { CLAUSE_TAG, REQ_TAG } from '../../src/requirements/applicability';
import type { Requirement } from '../../src/requirements/types';
import { MESSAGES, type MessageDef } from '../../src/catalog/messages';
import { suiteScenarios } from '../../src/report/suite-scenarios';
import { governsInWords, reviewInWords, statusInWords } from '../docs-words';
import { badge, clausePage, erratumAnchor, esc, page, prose, requirementAnchor, scenarioAnchor, STYLE, table } from './html';
import { allTagsOf, parseFeature, renderFeature, scenarioViews, type ParsedFeature, type ScenarioView, type VerdictView } from './gherkin';
import { findRuns, runVerdictKind, runVerdictWords, type FoundRun } from './last-run';

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

interface Ctx {
  reqs: readonly Requirement[];
  errata: readonly Erratum[];
  clauses: Clause[];
  messages: readonly MessageDef[];
  features: ParsedFeature[];
  views: ScenarioView[];
  /** Clause ids that get a page, in order. */
  pageClauses: string[];
  last?: FoundRun;
  otherRuns: FoundRun[];
  skipped: string[];
  featuresChanged: boolean;
  /** Relative link from the site folder to a path under root (or anywhere). */
  link: (absPath: string) => string;
  reportsDir: string;
  scenarioVerdicts: Map<string, VerdictView>;
  requirementVerdicts: Map<string, { verdict: string; reason?: string }>;
}

const VERDICT_ORDER = ['error', 'fail', 'inconclusive', 'pass', 'not applicable', 'not tested'];

function clauseTitle(ctx: Ctx, id: string): string {
  const c = ctx.clauses.find((x) => x.id === id);
  const name = id === 'binding' ? 'Binding' : id;
  return c ? `${name} — ${c.title}` : name;
}

function reqsOf(ctx: Ctx, clause: string): Requirement[] {
  return ctx.reqs.filter((r) => r.clause === clause);
}

/** A scenario is on a clause's page when it is tagged with the clause or with one of its requirements. */
function onPageOf(ctx: Ctx, clause: string, v: ScenarioView): boolean {
  const tags = allTagsOf(v);
  if (tags.includes(`${CLAUSE_TAG}${clause}`)) return true;
  return reqsOf(ctx, clause).some((r) => tags.includes(`${REQ_TAG}${r.id}`));
}

function clausesOfView(ctx: Ctx, v: ScenarioView): string[] {
  return ctx.pageClauses.filter((c) => onPageOf(ctx, c, v));
}

function tagHref(ctx: Ctx, tag: string): string | undefined {
  if (tag.startsWith(REQ_TAG)) {
    const r = ctx.reqs.find((x) => x.id === tag.slice(REQ_TAG.length));
    return r ? `${clausePage(r.clause)}#${requirementAnchor(r.id)}` : undefined;
  }
  if (tag.startsWith(CLAUSE_TAG)) {
    const c = tag.slice(CLAUSE_TAG.length);
    return ctx.pageClauses.includes(c) ? clausePage(c) : undefined;
  }
  return undefined;
}

// ------------------------------------------------------------------------------ errata

interface ErratumLink {
  erratum: Erratum;
  via: string[];
}

/** The errata that touch a clause, and how: named in their "where", or cited by its requirements or messages. */
function errataOf(ctx: Ctx, clause: string): ErratumLink[] {
  const out: ErratumLink[] = [];
  const reqs = reqsOf(ctx, clause);
  const msgs = ctx.messages.filter((m) => m.clause === clause);
  for (const e of ctx.errata) {
    const via: string[] = [];
    const named = clause === 'binding' ? /\bbinding\b/i.test(e.where) : clausesNamedIn(e.where, ctx.clauses.map((c) => c.id)).includes(clause);
    if (named) via.push(`its place in the CR: ${e.where}`);
    for (const r of reqs) {
      if (r.status.kind !== 'mandatory' && 'erratum' in r.status.when && r.status.when.erratum === e.id) {
        via.push(`${r.id} applies under its ${r.status.when.is} reading`);
      } else if (new RegExp(`\\b${e.id}\\b`).test(`${r.text} ${r.reasoning ?? ''} ${r.source.where}`)) {
        via.push(`${r.id} cites it`);
      }
    }
    for (const m of msgs) {
      for (const ie of m.ies) if (ie.lenient?.erratum === e.id) via.push(`${m.key} / ${ie.name} accepts its lenient spelling`);
    }
    if (via.length > 0) out.push({ erratum: e, via });
  }
  return out;
}

function erratumHtml(e: Erratum, via: string[] | undefined, ctx: Ctx): string {
  const clauses = ctx.pageClauses.filter((c) => errataOf(ctx, c).some((l) => l.erratum.id === e.id));
  const rows: Array<[string, string]> = [
    ['Where', prose(e.where)],
    ['Problem', prose(e.problem)],
    ['Harness reading', prose(e.reading)],
    ['Governed by', prose(governsInWords(e))],
  ];
  if (e.strict) rows.push(['Strict', prose(e.strict)]);
  if (e.lenient) rows.push(['Lenient', prose(e.lenient)]);
  if (via) rows.push(['Touches this clause through', via.map((v) => prose(v)).join('<br>')]);
  else rows.push(['Clauses', clauses.length ? clauses.map((c) => `<a href="${esc(clausePage(c))}">${esc(c)}</a>`).join(', ') : '<span class="muted">none of the clause pages</span>']);
  return `<article class="erratum" id="${esc(erratumAnchor(e.id))}">
<h3>${esc(e.id)} · ${prose(e.title)}</h3>
<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>
</article>`;
}

// ------------------------------------------------------------------------- requirements

function lastRunCell(ctx: Ctx, r: Requirement): string {
  if (!ctx.last) return badge('no-run', 'no run yet');
  const v = ctx.requirementVerdicts.get(r.id);
  if (!v) return badge('not-tested', 'not in the last run', 'The catalog has this requirement; the last run did not list it (it predates it).');
  return badge(v.verdict, `last run: ${v.verdict}`, v.reason);
}

function reviewCell(r: Requirement): string {
  return badge(r.review, r.review, reviewInWords(r));
}

function scenariosOfRequirement(ctx: Ctx, r: Requirement): ScenarioView[] {
  return ctx.views.filter((v) => allTagsOf(v).includes(`${REQ_TAG}${r.id}`));
}

/** One line per requirement, each cell one badge: the page's overview. */
function requirementOverview(ctx: Ctx, reqs: Requirement[]): string {
  return table(
    ['requirement', 'level', 'source', 'force', 'review', 'scenarios', 'last run'],
    reqs.map((r) => [
      `<a class="mono" href="#${esc(requirementAnchor(r.id))}">${esc(r.id)}</a>`,
      esc(r.level),
      badge(r.source.kind, SOURCE_WORDS[r.source.kind]),
      badge(forceOf(r), forceOf(r)),
      badge(r.review, r.review),
      `<span class="num">${esc(scenariosOfRequirement(ctx, r).length)}</span>`,
      ctx.last ? badge(ctx.requirementVerdicts.get(r.id)?.verdict ?? 'not-tested', ctx.requirementVerdicts.get(r.id)?.verdict ?? 'not in the last run') : badge('no-run', 'no run yet'),
    ]),
    'overview',
  );
}

/** A requirement in full: text, source, status, force, review, reasoning, scenarios, last verdict. */
function requirementCard(ctx: Ctx, r: Requirement): string {
  const views = scenariosOfRequirement(ctx, r);
  const scen = views.length
    ? views.map((v) => `<a href="#${esc(scenarioAnchor(`${v.uri}:${v.scenario.location.line}`))}">${esc(v.scenario.name)}</a>`).join(' · ')
    : '<span class="muted">none</span>';
  const reasoning = r.reasoning ? `<details><summary>${r.source.kind === 'derived' ? 'How the harness derives it' : 'Notes'}</summary><p>${prose(r.reasoning)}</p></details>` : '';
  const status = r.level === 'informative' ? 'informative — no verdict on the server' : statusInWords(r.status);
  return `<article class="req" id="${esc(requirementAnchor(r.id))}">
<header><span class="req-id mono">${esc(r.id)}</span> <strong>${esc(r.level)}</strong> ${badge(r.source.kind, SOURCE_WORDS[r.source.kind])} ${badge(forceOf(r), forceInWords(r))} ${reviewCell(r)} <span class="spacer"></span> ${lastRunCell(ctx, r)}</header>
<p class="req-text">${prose(r.text)}</p>
<dl>
<dt>Source</dt><dd>${esc(SOURCE_WORDS[r.source.kind])}: ${prose(r.source.where)}</dd>
<dt>Applies</dt><dd>${prose(status)}</dd>
<dt>Review</dt><dd>${esc(reviewInWords(r))}</dd>
<dt>Scenarios</dt><dd>${scen}</dd>
</dl>
${reasoning}
</article>`;
}

function messageHtml(m: MessageDef): string {
  const rows = m.ies.map((ie) => [
    `<code>${esc(ie.name)}</code>`,
    ie.required ? 'mandatory' : 'optional',
    esc(ie.type === 'Bag' ? 'Bag (string)' : ie.type) + (ie.nullable ? ' <span class="note">or null</span>' : ''),
    prose(ie.description) + (ie.lenient ? `<div class="note">lenient reading (${esc(ie.lenient.erratum)}): ${[ie.lenient.name && `name <code>${esc(ie.lenient.name)}</code>`, ie.lenient.value && `value <code>${esc(ie.lenient.value)}</code>`].filter(Boolean).join(', ')}</div>` : ''),
  ]);
  return `<h3 id="msg-${esc(m.key.replace(/[^A-Za-z0-9]+/g, '-'))}"><code>${esc(m.key)}</code> <span class="note">${esc(m.interface)}, ${esc(m.direction)}</span></h3>
<p>${prose(m.summary)}</p>
${table(['IE', 'req', 'type', 'description'], rows)}`;
}

// -------------------------------------------------------------------------------- pages

function nav(ctx: Ctx, current: string): Array<[string, string, boolean]> {
  return [
    ['index.html', 'Overview', current === 'index.html'],
    ...ctx.pageClauses.map((c): [string, string, boolean] => [clausePage(c), c === 'binding' ? 'Binding' : c, current === clausePage(c)]),
    ['errata.html', 'Errata', current === 'errata.html'],
  ];
}

function footer(ctx: Ctx): string {
  const run = ctx.last ? `Verdicts: run <code>${esc(ctx.last.folder)}</code> (${esc(ctx.last.summary.startedAt)}).` : 'Verdicts: no run yet.';
  return `Generated by <code>npm run docs</code> (scripts/gen-docs.ts) from src/requirements/ (catalog, clauses, errata), src/catalog/messages.ts, features/ and reports/*/summary.json — do not edit; rebuild. ${run}`;
}

function runBox(ctx: Ctx): string {
  const last = ctx.last;
  if (!last) {
    return `<section class="run none"><strong>No run yet.</strong> ${badge('no-run', 'no run yet')}
<p class="note">The verdict columns fill in after a run that writes a certificate (<code>reports/&lt;run-id&gt;/summary.json</code>), for example <code>npm run cli -- run</code> or <code>npm run conformance:url</code>, followed by <code>npm run docs</code>.</p>
${ctx.skipped.length ? `<p class="note">Not usable: ${ctx.skipped.map((s) => esc(s)).join('; ')}</p>` : ''}</section>`;
  }
  const s = last.summary;
  const summaryMd = join(ctx.reportsDir, last.folder, 'summary.md');
  const html = join(ctx.reportsDir, last.folder, 'cucumber-report.html');
  const links = [
    existsSync(summaryMd) ? `<a href="${esc(ctx.link(summaryMd))}">summary.md</a>` : '',
    `<a href="${esc(ctx.link(last.file))}">summary.json</a>`,
    existsSync(html) ? `<a href="${esc(ctx.link(html))}">HTML report</a>` : '',
  ].filter(Boolean);
  const totals = Object.entries(s.totals?.requirements ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => badge(k, `${n} ${k}`))
    .join(' ');
  const impl = s.implementation ? [s.implementation.name, s.implementation.version].filter(Boolean).join(' ') : '';
  return `<section class="run">
<div><strong>Last run:</strong> <code>${esc(last.folder)}</code> ${badge(runVerdictKind(s), runVerdictWords(s))}</div>
<div class="scroll"><table>
<tr><th>target</th><td>${esc(s.target)}${impl ? ` <span class="note">(${esc(impl)})</span>` : ''}</td></tr>
<tr><th>started</th><td>${esc(s.startedAt)}, ${esc(Math.round((s.durationMs ?? 0) / 1000))} s</td></tr>
<tr><th>ICS policy</th><td>${esc(s.ics?.declared?.clientIdPolicy ?? '—')}</td></tr>
<tr><th>selection</th><td>${s.selection ? `${esc(s.selection.executed)} of ${esc(s.selection.selected)} selected scenarios executed, ${esc(s.selection.notApplicable)} not applicable` : '—'}${s.tags ? `; filtered with <code>${esc(s.tags)}</code> (partial)` : ''}</td></tr>
<tr><th>requirements</th><td>${totals || '—'}</td></tr>
${s.reasons?.length ? `<tr><th>why</th><td>${reasonsHtml(s.reasons)}</td></tr>` : ''}
<tr><th>files</th><td>${links.join(' · ')}</td></tr>
</table></div>
${ctx.featuresChanged ? '<p class="note"><strong>The feature files changed since this run;</strong> verdicts are matched by file and line and may belong to an earlier text.</p>' : ''}
${ctx.skipped.length ? `<p class="note">Not usable: ${ctx.skipped.map((x) => esc(x)).join('; ')}</p>` : ''}
</section>`;
}

/** The first reasons of a verdict; the certificate has them all. */
function reasonsHtml(reasons: readonly string[], max = 4): string {
  const shown = reasons.slice(0, max).map((r) => `<li>${esc(r.length > 300 ? `${r.slice(0, 300)}…` : r)}</li>`);
  const more = reasons.length > max ? `<li class="note">… and ${esc(reasons.length - max)} more in the certificate</li>` : '';
  return `<ul class="plain">${shown.join('')}${more}</ul>`;
}

function countBadges(ctx: Ctx, reqs: Requirement[]): string {
  if (!ctx.last) return badge('no-run', 'no run yet');
  const counts = new Map<string, number>();
  for (const r of reqs) {
    const v = ctx.requirementVerdicts.get(r.id)?.verdict ?? 'not tested';
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return VERDICT_ORDER.filter((v) => counts.has(v))
    .map((v) => badge(v, `${counts.get(v)} ${v}`))
    .join(' ');
}

function indexPage(ctx: Ctx): string {
  const cards = ctx.pageClauses.map((c) => {
    const reqs = reqsOf(ctx, c);
    const views = ctx.views.filter((v) => onPageOf(ctx, c, v));
    const reviewed = reqs.filter((r) => r.review === 'reviewed').length;
    const fails = reqs.filter((r) => forceOf(r) === 'fails').length;
    const rule = ctx.clauses.find((x) => x.id === c)?.rule ?? '';
    const first = rule.split(/(?<=\.)\s/)[0] ?? '';
    return `<article class="card">
<h3><a href="${esc(clausePage(c))}">${esc(clauseTitle(ctx, c))}</a></h3>
<p class="note">${prose(first)}</p>
<div>${esc(reqs.length)} requirements (${esc(fails)} fail a run) · ${esc(views.length)} scenarios · ${esc(errataOf(ctx, c).length)} errata</div>
<div class="counts">${badge(reviewed === reqs.length && reqs.length > 0 ? 'reviewed' : 'proposed', `${reviewed} of ${reqs.length} reviewed`)} ${countBadges(ctx, reqs)}</div>
</article>`;
  });
  const reviewed = ctx.reqs.filter((r) => r.review === 'reviewed').length;
  const bySource = Object.entries(SOURCE_WORDS)
    .map(([k, w]) => [w, ctx.reqs.filter((r) => r.source.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([w, n]) => `${n} ${w}`)
    .join(', ');
  const runs = [ctx.last, ...ctx.otherRuns].filter((r): r is FoundRun => r !== undefined);
  const runsTable =
    runs.length > 1
      ? `<h2>Runs found</h2>
<p class="note">The pages show the newest. Others, for reference:</p>
${table(
  ['run', 'verdict', 'started', 'target', 'certificate'],
  runs.map((r, i) => [
    `<code>${esc(r.folder)}</code>${i === 0 ? ' <span class="note">(shown)</span>' : ''}`,
    badge(runVerdictKind(r.summary), runVerdictWords(r.summary)),
    esc(r.summary.startedAt),
    esc(r.summary.target),
    `<a href="${esc(ctx.link(r.file))}">summary.json</a>`,
  ]),
)}`
      : '';
  const body = `<p class="lead">For the editors of the DPE TS and for reviewers: per clause of the change request (and of the wire binding), the rule in the project's words, the requirements the harness reads out of it — with their source, normative force and review status — the scenarios that check them, as Gherkin, the errata that touch the clause, and what the last run found.</p>
<p>${esc(ctx.reqs.length)} requirements (${esc(bySource)}); ${esc(reviewed)} reviewed, ${esc(ctx.reqs.length - reviewed)} proposed. ${esc(ctx.views.length)} scenarios in ${esc(ctx.features.length)} feature files. ${esc(ctx.errata.length)} errata. How a requirement moves from proposed to reviewed: <a href="${esc(ctx.link('CONTRIBUTING.md'))}">CONTRIBUTING.md</a>.</p>
${runBox(ctx)}
<h2>Clauses</h2>
<div class="cards">
${cards.join('\n')}
</div>
${runsTable}
<h2>Reading the pages</h2>
<ul>
<li><strong>Source</strong>: CR text, a CR table, the binding, or derived (the harness's own reading, with its reasoning).</li>
<li><strong>Force</strong>: what a failed check does — CR text, CR tables and the binding fail the run; a derived rule warns, unless the ICS declares the erratum reading it rests on.</li>
<li><strong>Review</strong>: <em>proposed</em> until someone other than its author has checked it against its source; then <em>reviewed</em>, signed with who and when.</li>
<li><strong>Last run</strong>: the verdict of the requirement or scenario in the newest <code>summary.json</code> under reports/.</li>
</ul>`;
  return page({ title: 'DPE conformance — living documentation', nav: nav(ctx, 'index.html'), body, footer: footer(ctx) });
}

function clausePageHtml(ctx: Ctx, clause: string): string {
  const c = ctx.clauses.find((x) => x.id === clause);
  const reqs = reqsOf(ctx, clause);
  const views = ctx.views.filter((v) => onPageOf(ctx, clause, v));
  const msgs = ctx.messages.filter((m) => m.clause === clause);
  const errata = errataOf(ctx, clause);
  const features = ctx.features
    .map((pf) =>
      renderFeature(pf, {
        include: (v) => onPageOf(ctx, clause, v),
        verdictAt: (loc) => ctx.scenarioVerdicts.get(loc),
        hasRun: ctx.last !== undefined,
        tagHref: (t) => tagHref(ctx, t),
        omittedNote: (omitted) => {
          const others = [...new Set(omitted.flatMap((v) => clausesOfView(ctx, v)))];
          const where = others.length ? ` on the pages of ${others.map((o) => `<a href="${esc(clausePage(o))}">${esc(o)}</a>`).join(', ')}` : '';
          return `This feature has ${esc(omitted.length)} more scenario${omitted.length === 1 ? '' : 's'}${where}.`;
        },
      }),
    )
    .filter(Boolean);
  const lastNote = ctx.last
    ? `<p class="note">Verdicts from the last run, <code>${esc(ctx.last.folder)}</code>: ${badge(runVerdictKind(ctx.last.summary), runVerdictWords(ctx.last.summary))} (${esc(ctx.last.summary.startedAt)}).${ctx.featuresChanged ? ' The feature files changed since.' : ''}</p>`
    : `<p class="note">${badge('no-run', 'no run yet')} No run has left a summary.json under reports/, so no verdicts are shown.</p>`;
  const body = `<p class="note">${c ? `In the CR: ${esc(c.inCr)}.` : ''} ${esc(reqs.length)} requirements · ${esc(views.length)} scenarios · ${esc(errata.length)} errata</p>
<h2 id="rule">The rule</h2>
<div class="rule-text">${c ? prose(c.rule) : '<span class="muted">No summary of this clause yet (src/requirements/clauses.ts).</span>'}</div>
${lastNote}
<h2 id="requirements">Requirements</h2>
${reqs.length ? `${requirementOverview(ctx, reqs)}\n${reqs.map((r) => requirementCard(ctx, r)).join('\n')}` : '<p class="muted">No requirement of the catalog has this clause.</p>'}
${msgs.length ? `<h2 id="messages">Messages</h2>\n${msgs.map(messageHtml).join('\n')}` : ''}
<h2 id="scenarios">Scenarios</h2>
${features.length ? features.join('\n') : '<p class="muted">No scenario is tagged with this clause or one of its requirements.</p>'}
<h2 id="errata">Errata that touch this clause</h2>
${errata.length ? errata.map((l) => erratumHtml(l.erratum, l.via, ctx)).join('\n') : '<p class="muted">None.</p>'}`;
  return page({ title: `${clauseTitle(ctx, clause)} · DPE conformance`, heading: clauseTitle(ctx, clause), nav: nav(ctx, clausePage(clause)), body, footer: footer(ctx) });
}

function errataPage(ctx: Ctx): string {
  const body = `<p class="lead">Every typo, inconsistency and open point found in the change request, and how the harness reads it (also in <a href="${esc(ctx.link('docs/errata.md'))}">docs/errata.md</a>). Each clause page lists those that touch it.</p>
${ctx.errata.map((e) => erratumHtml(e, undefined, ctx)).join('\n')}`;
  return page({ title: 'Errata · DPE conformance', heading: 'Errata of the change request', nav: nav(ctx, 'errata.html'), body, footer: footer(ctx) });
}

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
  const named = [...reqs.map((r) => r.clause), ...views.flatMap((v) => allTagsOf(v).filter((t) => t.startsWith(CLAUSE_TAG)).map((t) => t.slice(CLAUSE_TAG.length)))];
  const pageClauses = [...clauses.map((c) => c.id).filter((id) => named.includes(id)), ...new Set(named.filter((id) => !clauses.some((c) => c.id === id)))];

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
  writeFileSync(join(dir, SITE_MARKER), 'Written by npm run docs (scripts/gen-docs.ts); the folder is cleared and rewritten on every build.\n');
  return written;
}
