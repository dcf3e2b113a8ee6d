/**
 * dpe-conformance list: every scenario of the suite with its requirement ids (and their force),
 * its clause, and whether the ICS selects it and the IXIT lets the harness stage it (its
 * `@needs-` tags) — the selection a run would make, printed without running anything. Without
 * --ixit, the IXIT is the one a run against the built-in server takes.
 */
import type { ClientIdPolicy } from '../config/ics';
import { REQUIREMENTS } from '../requirements/catalog';
import { forceOf, SOURCE_WORDS } from '../requirements/force';
import { CLAUSE_TAG, requirementIdsOf, scenarioApplies } from '../requirements/applicability';
import { checkIcs } from './config-checks';
import { packageRoot } from './package-info';
import { loadDeclarations } from './run-plan';
import { loadSuiteScenarios, selectByTags } from './suite-scenarios';

export interface ListOptions {
  ics?: string;
  ixit?: string;
  policy?: ClientIdPolicy;
  tags?: string;
  json?: boolean;
}

export interface ListedScenario {
  location: string;
  name: string;
  clauses: string[];
  requirements: { id: string; level: string; source: string; force: string }[];
  selected: boolean;
  /** Why the ICS rules it out, or the IXIT does not let the harness stage it. */
  reason?: string;
}

export function listScenarios(o: ListOptions, root = packageRoot()): { icsLabel: string; scenarios: ListedScenario[] } {
  // the IXIT a run without a target takes when none is given (src/harness/suite-config.ts)
  const { ics, ixit } = loadDeclarations({ ics: o.ics, ixit: o.ixit, policy: o.policy }, false);
  const all = loadSuiteScenarios(root);
  checkIcs(ics, o.ics ?? 'the built-in ICS', all);
  const scenarios = selectByTags(all, o.tags).map((s) => {
    const a = scenarioApplies(s.tags, ics, ixit);
    return {
      location: s.location,
      name: s.name,
      clauses: s.tags.filter((t) => t.startsWith(CLAUSE_TAG)).map((t) => t.slice(CLAUSE_TAG.length)),
      requirements: requirementIdsOf(s.tags).map((id) => {
        const r = REQUIREMENTS.find((x) => x.id === id);
        return {
          id,
          level: r?.level ?? 'unknown',
          source: r ? SOURCE_WORDS[r.source.kind] : 'unknown',
          force: r ? forceOf(r, ics) : 'fails',
        };
      }),
      selected: a.applies,
      ...(a.applies ? {} : { reason: a.reason }),
    };
  });
  const icsLabel = o.ics ?? `the built-in ICS (policy ${ics.clientIdPolicy})`;
  return { icsLabel: `${icsLabel} and ${o.ixit ?? "the built-in server's default IXIT"}`, scenarios };
}

export function renderList(r: ReturnType<typeof listScenarios>): string {
  const lines = r.scenarios.map((s) => {
    const reqs = s.requirements.map((q) => `${q.id} (${q.source}, ${q.force})`).join(', ');
    return [
      `${s.selected ? 'selected    ' : 'not selected'}  ${s.location}  ${s.name}`,
      `    clause ${s.clauses.join(', ') || '-'}; requirements ${reqs || '-'}`,
      ...(s.reason ? [`    not selected because ${s.reason}`] : []),
    ].join('\n');
  });
  const n = r.scenarios.filter((s) => s.selected).length;
  lines.push('', `${r.scenarios.length} scenarios; ${n} selected by ${r.icsLabel}, ${r.scenarios.length - n} not applicable to it`);
  return `${lines.join('\n')}\n`;
}
