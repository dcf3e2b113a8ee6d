/**
 * The scenarios of the suite as the CLI selects them before a run: every pickle of the
 * feature files (read with @cucumber/gherkin) with its tags and step texts, the --tags
 * expression checked and applied, and applicability computed from the ICS — so a selection
 * that is malformed or empty is a usage error before anything runs.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import parseTagExpression from '@cucumber/tag-expressions';
import type { Ics } from '../config/ics';
import { featureFiles, pickleLine, scenarioLines } from '../requirements/features';
import { scenarioApplies } from '../requirements/applicability';
import { didYouMean } from './nearest';
import { UsageError } from './usage-error';

export interface SuiteScenario {
  /** features/...feature:line */
  location: string;
  name: string;
  tags: string[];
  steps: string[];
}

export function loadSuiteScenarios(root: string): SuiteScenario[] {
  return featureFiles(join(root, 'features')).flatMap((file) => {
    const uri = relative(root, file).split('\\').join('/');
    const newId = IdGenerator.incrementing();
    const doc = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(readFileSync(file, 'utf8'));
    const lineOf = scenarioLines(doc);
    return compile(doc, uri, newId).map((p) => ({
      location: `${uri}:${pickleLine(lineOf, p.astNodeIds)}`,
      name: p.name,
      tags: p.tags.map((t) => t.name),
      steps: p.steps.map((s) => s.text),
    }));
  });
}

export const knownTags = (scenarios: SuiteScenario[]): Set<string> => new Set(scenarios.flatMap((s) => s.tags));

/** The scenarios a --tags expression selects; a malformed expression or an empty selection is a UsageError. */
export function selectByTags(scenarios: SuiteScenario[], expr: string | undefined, flag = '--tags'): SuiteScenario[] {
  if (expr === undefined) return scenarios;
  let node: ReturnType<typeof parseTagExpression>;
  try {
    node = parseTagExpression(expr);
  } catch (e) {
    throw new UsageError(
      `${flag} "${expr}" is not a tag expression: ${(e as Error).message.split('\n')[0]}`,
      'write tags with "@" joined by and, or, not and parentheses, e.g. --tags "@clause-8.2.2 and not @req-dc.order-releases-first"',
    );
  }
  const selected = scenarios.filter((s) => node.evaluate(s.tags));
  if (selected.length) return selected;
  const known = knownTags(scenarios);
  const unknown = [...new Set(expr.match(/@[^\s()]+/g) ?? [])].filter((t) => !known.has(t));
  const what = unknown.length
    ? `${flag} "${expr}" selects no scenario: ${unknown.map((t) => `${t} is not a tag of any scenario${didYouMean(t, known)}`).join('; ')}`
    : `${flag} "${expr}" selects none of the ${scenarios.length} scenarios (every tag exists, but no scenario has this combination)`;
  return fail(what);
}

function fail(what: string): never {
  throw new UsageError(
    what,
    'see every scenario with its tags: dpe-conformance list (tags are @clause-<clause> and @req-<requirement id>)',
  );
}

export interface Selection {
  /** Selected by --tags (all scenarios without it). */
  tagged: SuiteScenario[];
  /** Of those, the ones the ICS makes applicable: what the run executes. */
  applicable: SuiteScenario[];
}

/** The run's selection; a selection the ICS rules out entirely runs nothing, so it is a usage error too. */
export function selectForRun(scenarios: SuiteScenario[], ics: Ics, tags: string | undefined): Selection {
  const tagged = selectByTags(scenarios, tags);
  const applicable = tagged.filter((s) => scenarioApplies(s.tags, ics).applies);
  if (!applicable.length && tags !== undefined) {
    // selectByTags never returns an empty selection for a tag expression: it is a usage error itself
    const [first] = tagged;
    const why = (first ? scenarioApplies(first.tags, ics).reason : undefined) ?? 'not applicable';
    throw new UsageError(
      `--tags "${tags}" selects ${tagged.length} scenario(s), and the declared ICS rules out every one (e.g. ${why}): the run would execute nothing`,
      'choose tags of scenarios your ICS selects (dpe-conformance list --ics <file> shows which), or correct the ICS',
    );
  }
  return { tagged, applicable };
}
