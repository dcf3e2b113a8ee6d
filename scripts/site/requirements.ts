/**
 * A clause's requirements on the documentation site: the overview (one badge per cell) and each
 * requirement in full, with its scenarios and the verdict of the last run.
 */
import { forceInWords, forceOf, SOURCE_WORDS } from '../../src/requirements/force';
import { REQ_TAG } from '../../src/requirements/applicability';
import type { Requirement } from '../../src/requirements/types';
import { reviewInWords, statusInWords } from '../docs-words';
import type { Ctx } from './context';
import type { ScenarioView } from './gherkin';
import { allTagsOf } from './gherkin';
import { badge, esc, prose, requirementAnchor, scenarioAnchor, table } from './html';

export function lastRunCell(ctx: Ctx, r: Requirement): string {
  if (!ctx.last) return badge('no-run', 'no run yet');
  const v = ctx.requirementVerdicts.get(r.id);
  if (!v)
    return badge('not-tested', 'not in the last run', 'The catalog has this requirement; the last run did not list it (it predates it).');
  return badge(v.verdict, `last run: ${v.verdict}`, v.reason);
}

export function reviewCell(r: Requirement): string {
  return badge(r.review, r.review, reviewInWords(r));
}

export function scenariosOfRequirement(ctx: Ctx, r: Requirement): ScenarioView[] {
  return ctx.views.filter((v) => allTagsOf(v).includes(`${REQ_TAG}${r.id}`));
}

/** One line per requirement, each cell one badge: the page's overview. */
export function requirementOverview(ctx: Ctx, reqs: Requirement[]): string {
  return table(
    ['requirement', 'level', 'source', 'force', 'review', 'scenarios', 'last run'],
    reqs.map((r) => [
      `<a class="mono" href="#${esc(requirementAnchor(r.id))}">${esc(r.id)}</a>`,
      esc(r.level),
      badge(r.source.kind, SOURCE_WORDS[r.source.kind]),
      badge(forceOf(r), forceOf(r)),
      badge(r.review, r.review),
      `<span class="num">${esc(scenariosOfRequirement(ctx, r).length)}</span>`,
      ctx.last
        ? badge(
            ctx.requirementVerdicts.get(r.id)?.verdict ?? 'not-tested',
            ctx.requirementVerdicts.get(r.id)?.verdict ?? 'not in the last run',
          )
        : badge('no-run', 'no run yet'),
    ]),
    'overview',
  );
}

/** A requirement in full: text, source, status, force, review, reasoning, scenarios, last verdict. */
export function requirementCard(ctx: Ctx, r: Requirement): string {
  const views = scenariosOfRequirement(ctx, r);
  const scen = views.length
    ? views.map((v) => `<a href="#${esc(scenarioAnchor(`${v.uri}:${v.scenario.location.line}`))}">${esc(v.scenario.name)}</a>`).join(' · ')
    : '<span class="muted">none</span>';
  const reasoning = r.reasoning
    ? `<details><summary>${r.source.kind === 'derived' ? 'How the harness derives it' : 'Notes'}</summary><p>${prose(r.reasoning)}</p></details>`
    : '';
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
