/**
 * Feature files rendered back as readable, escaped Gherkin for the documentation site —
 * Feature, Background, Rule, Scenario, Scenario Outline with its Examples, tags, comments, data
 * tables and doc strings — with the last run's verdict beside each scenario or Examples row.
 */
import type { Background, Comment, DataTable, Rule, Scenario, Step, Tag, TableRow } from '@cucumber/messages';
import type { ExamplesView, ParsedFeature, ScenarioView } from './gherkin';
import { scenarioViews } from './gherkin';
import { badge, esc, prose, scenarioAnchor } from './html';

export interface VerdictView {
  verdict: string;
  reason?: string;
  /** The name the run recorded, to spot a result that predates an edit of the scenario. */
  name?: string;
}

export interface RenderOptions {
  /** Which scenarios to show; the others are summed up in one line. */
  include: (v: ScenarioView) => boolean;
  /** The last run's verdict at a location, if there was a run. */
  verdictAt: (location: string) => VerdictView | undefined;
  /** Whether there is a last run at all (else no verdict marks are drawn). */
  hasRun: boolean;
  /** Where a tag links to (@req-… to its requirement, @clause-… to its page), if anywhere. */
  tagHref: (tag: string) => string | undefined;
  /** Where the scenarios left out are shown, for the note that names them. */
  omittedNote: (omitted: ScenarioView[]) => string;
}

/** Comment lines of a feature, handed out to the first node that follows each of them. */
class Comments {
  private readonly pending: Comment[];
  constructor(comments: readonly Comment[]) {
    this.pending = [...comments].sort((a, b) => a.location.line - b.location.line);
  }
  /** The comments above `line` not yet shown. */
  before(line: number): string {
    const out: string[] = [];
    while (this.pending.length > 0 && this.pending[0]!.location.line < line) {
      out.push(`<div class="comment">${esc(this.pending.shift()!.text.trim())}</div>`);
    }
    return out.join('\n');
  }
  /** Drops comments inside a part that is not shown. */
  skip(line: number): void {
    while (this.pending.length > 0 && this.pending[0]!.location.line < line) this.pending.shift();
  }
}

function firstLine(node: { location: { line: number }; tags?: readonly Tag[] }): number {
  return Math.min(node.location.line, ...(node.tags ?? []).map((t) => t.location.line));
}

/** The last line a scenario occupies (its last step, table row or Examples row). */
function lastLine(s: Scenario): number {
  const stepEnd = (st: Step) =>
    Math.max(
      st.location.line,
      ...(st.dataTable?.rows ?? []).map((r) => r.location.line),
      st.docString ? st.docString.location.line + st.docString.content.split('\n').length + 1 : 0,
    );
  return Math.max(
    s.location.line,
    ...s.steps.map(stepEnd),
    ...s.examples.flatMap((e) => [e.location.line, ...e.tableBody.map((r) => r.location.line)]),
  );
}

function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(cut))
    .join('\n')
    .trim();
}

function tagsHtml(tags: readonly Tag[], o: RenderOptions): string {
  if (tags.length === 0) return '';
  const parts = tags.map((t) => {
    const href = o.tagHref(t.name);
    return href ? `<a href="${esc(href)}">${esc(t.name)}</a>` : esc(t.name);
  });
  return `<div class="tags">${parts.join(' ')}</div>`;
}

function description(text: string): string {
  const d = dedent(text);
  return d ? `<div class="desc">${prose(d)}</div>` : '';
}

/** Step text with "quoted strings" and <outline parameters> marked. */
function stepText(text: string): string {
  return esc(text)
    .replace(/&quot;(.*?)&quot;/g, '<span class="str">&quot;$1&quot;</span>')
    .replace(/&lt;([^&]+?)&gt;/g, '<span class="str">&lt;$1&gt;</span>');
}

function rowsTable(
  rows: readonly TableRow[],
  extra?: (row: TableRow) => string,
  extraHead?: string,
  rowId?: (row: TableRow) => string | undefined,
): string {
  const [head, ...body] = rows;
  if (!head) return '';
  const th = head.cells.map((c) => `<th>${esc(c.value)}</th>`).join('') + (extraHead !== undefined ? `<th>${esc(extraHead)}</th>` : '');
  const tr = body.map((r) => {
    const id = rowId?.(r);
    return `<tr${id ? ` id="${esc(id)}"` : ''}>${r.cells.map((c) => `<td>${esc(c.value)}</td>`).join('')}${extra ? `<td>${extra(r)}</td>` : ''}</tr>`;
  });
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr.join('')}</tbody></table>`;
}

function dataTable(t: DataTable): string {
  return rowsTable(t.rows);
}

function stepHtml(s: Step, comments: Comments): string {
  const parts = [
    comments.before(s.location.line),
    `<div class="step"><span class="kw">${esc(s.keyword.trim())}</span> ${stepText(s.text)}`,
  ];
  if (s.dataTable) parts.push(dataTable(s.dataTable));
  if (s.docString) parts.push(`<pre class="docstring">${esc(s.docString.content)}</pre>`);
  parts.push('</div>');
  return parts.filter(Boolean).join('');
}

function backgroundHtml(b: Background, comments: Comments): string {
  return [
    comments.before(b.location.line),
    `<div class="block"><span class="kw">${esc(b.keyword)}:</span>${b.name ? ` <span class="title">${esc(b.name)}</span>` : ''}</div>`,
    description(b.description),
    b.steps.map((s) => stepHtml(s, comments)).join('\n'),
  ]
    .filter(Boolean)
    .join('\n');
}

function verdictBadge(v: VerdictView | undefined, o: RenderOptions, expectedName: string): string {
  if (!o.hasRun) return '';
  if (!v)
    return badge(
      'not-tested',
      'not in the last run',
      'The last run did not execute this scenario (filtered out, or the feature changed since).',
    );
  const stale = v.name !== undefined && v.name !== expectedName ? ' (the scenario was renamed since)' : '';
  return badge(v.verdict, `last run: ${v.verdict}${stale}`, v.reason);
}

function reasonLine(v: VerdictView | undefined): string {
  return v?.reason && (v.verdict === 'fail' || v.verdict === 'error' || v.verdict === 'inconclusive')
    ? `<span class="reason">${esc(v.reason)}</span>`
    : '';
}

function examplesHtml(e: ExamplesView, o: RenderOptions, comments: Comments): string {
  const ex = e.examples;
  const rows = ex.tableHeader ? [ex.tableHeader, ...ex.tableBody] : [...ex.tableBody];
  const byRow = new Map(e.rows.map((r) => [r.row.id, r]));
  const cell = (row: TableRow) => {
    const r = byRow.get(row.id)!;
    const v = o.verdictAt(r.location);
    return `${verdictBadge(v, o, r.name)}${reasonLine(v)}`;
  };
  return [
    comments.before(firstLine(ex)),
    tagsHtml(ex.tags, o),
    `<div class="block"><span class="kw">${esc(ex.keyword)}:</span>${ex.name ? ` <span class="title">${esc(ex.name)}</span>` : ''}</div>`,
    description(ex.description),
    `<div class="nest">${rowsTable(rows, o.hasRun ? cell : undefined, o.hasRun ? 'last run' : undefined, (row) => {
      const r = byRow.get(row.id);
      return r && scenarioAnchor(r.location);
    })}</div>`,
  ]
    .filter(Boolean)
    .join('\n');
}

function scenarioHtml(v: ScenarioView, o: RenderOptions, comments: Comments): string {
  const s = v.scenario;
  const outline = s.examples.length > 0;
  const single = outline ? undefined : o.verdictAt(v.locations[0]!);
  const cls = single ? ` v-${single.verdict.replace(/ /g, '-')}` : '';
  const id = scenarioAnchor(`${v.uri}:${s.location.line}`);
  return [
    `<div class="scenario${cls}" id="${esc(id)}">`,
    comments.before(firstLine(s)),
    tagsHtml(s.tags, o),
    `<div class="block"><span class="kw">${esc(s.keyword)}:</span> <span class="title">${esc(s.name)}</span>${
      outline ? '' : `<span class="verdict">${verdictBadge(single, o, s.name)}</span>`
    }</div>`,
    reasonLine(single),
    description(s.description),
    s.steps.map((st) => stepHtml(st, comments)).join('\n'),
    outline ? `<div class="nest">${v.examples.map((e) => examplesHtml(e, o, comments)).join('\n')}</div>` : '',
    '</div>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The scenarios of a child list (Feature or Rule) that are shown, and the rest. */
function split(views: ScenarioView[], o: RenderOptions): { shown: ScenarioView[]; omitted: ScenarioView[] } {
  return { shown: views.filter(o.include), omitted: views.filter((v) => !o.include(v)) };
}

/**
 * A feature as Gherkin, with only the scenarios `include` picks (and the Rules that hold them);
 * empty when it picks none. The Feature's description and Backgrounds are always kept: they are
 * the context every shown scenario runs in.
 */
export function renderFeature(pf: ParsedFeature, o: RenderOptions): string {
  const all = scenarioViews(pf);
  const { shown, omitted } = split(all, o);
  if (shown.length === 0) return '';
  const f = pf.feature;
  const comments = new Comments(pf.comments);
  const byScenario = new Map(all.map((v) => [v.scenario.id, v]));
  const body: string[] = [];
  for (const child of f.children) {
    if (child.background) body.push(backgroundHtml(child.background, comments));
    if (child.scenario) {
      const v = byScenario.get(child.scenario.id)!;
      if (o.include(v)) body.push(scenarioHtml(v, o, comments));
      else comments.skip(lastLine(child.scenario) + 1);
    }
    if (child.rule) {
      const r: Rule = child.rule;
      const views = r.children.flatMap((rc) => (rc.scenario ? [byScenario.get(rc.scenario.id)!] : []));
      if (!views.some(o.include)) {
        comments.skip(Math.max(r.location.line, ...views.map((v) => lastLine(v.scenario))) + 1);
        continue;
      }
      const inner: string[] = [];
      for (const rc of r.children) {
        if (rc.background) inner.push(backgroundHtml(rc.background, comments));
        if (rc.scenario) {
          const v = byScenario.get(rc.scenario.id)!;
          if (o.include(v)) inner.push(scenarioHtml(v, o, comments));
          else comments.skip(lastLine(rc.scenario) + 1);
        }
      }
      body.push(
        [
          comments.before(firstLine(r)),
          tagsHtml(r.tags, o),
          `<div class="block"><span class="kw">${esc(r.keyword)}:</span> <span class="title">${esc(r.name)}</span></div>`,
          description(r.description),
          `<div class="nest">${inner.join('\n')}</div>`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }
  }
  const note = omitted.length > 0 ? `<div class="other">${o.omittedNote(omitted)}</div>` : '';
  return `<section class="feature" id="${esc(`f-${pf.uri.replace(/[^A-Za-z0-9]+/g, '-')}`)}">
<div class="file mono">${esc(pf.uri)}</div>
<div class="gherkin">
${[
  comments.before(firstLine(f)),
  tagsHtml(f.tags, o),
  `<div class="block"><span class="kw">${esc(f.keyword)}:</span> <span class="title">${esc(f.name)}</span></div>`,
  `<div class="nest">`,
  description(f.description),
  body.join('\n'),
  note,
  '</div>',
]
  .filter(Boolean)
  .join('\n')}
</div>
</section>`;
}
