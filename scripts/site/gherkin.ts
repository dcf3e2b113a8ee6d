/**
 * Feature files as the documentation site sees them: parsed with @cucumber/gherkin, each
 * scenario seen with the tags it inherits (Feature, Rule, Examples) and the locations the run
 * summary keys its verdicts by (features/x.feature:<line>, an Examples row for an outline).
 * gherkin-html.ts renders them back as Gherkin.
 */
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import type { Comment, Examples, Feature, GherkinDocument, Rule, Scenario, Tag, TableRow } from '@cucumber/messages';
import { IdGenerator } from '@cucumber/messages';

export interface ParsedFeature {
  /** features/device-change/sim-moves.feature */
  uri: string;
  feature: Feature;
  comments: readonly Comment[];
}

export function parseFeature(uri: string, text: string): ParsedFeature {
  let doc: GherkinDocument;
  try {
    doc = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher()).parse(text);
  } catch (e) {
    throw new Error(`${uri}: not valid Gherkin: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!doc.feature) throw new Error(`${uri}: has no Feature`);
  return { uri, feature: doc.feature, comments: doc.comments };
}

/** One Examples block of an outline, with the location of each of its rows. */
export interface ExamplesView {
  examples: Examples;
  /** Inherited tags plus the block's own. */
  tags: string[];
  rows: Array<{ row: TableRow; location: string; name: string }>;
}

/** A scenario in its context. */
export interface ScenarioView {
  uri: string;
  scenario: Scenario;
  rule?: Rule;
  /** Feature + Rule + Scenario tags (an outline's Examples add theirs in `examples`). */
  tags: string[];
  /** The locations its verdicts are keyed by: the scenario's line, or one per Examples row. */
  locations: string[];
  examples: ExamplesView[];
}

const names = (tags: readonly Tag[]) => tags.map((t) => t.name);

/** The name cucumber gives an outline row: the outline's name with <column> filled in. */
function rowName(scenario: Scenario, header: TableRow | undefined, row: TableRow): string {
  let name = scenario.name;
  header?.cells.forEach((cell, i) => {
    name = name.split(`<${cell.value}>`).join(row.cells[i]?.value ?? '');
  });
  return name;
}

function viewOf(uri: string, scenario: Scenario, inherited: string[], rule?: Rule): ScenarioView {
  const tags = [...inherited, ...names(scenario.tags)];
  const examples = scenario.examples.map((ex) => ({
    examples: ex,
    tags: [...tags, ...names(ex.tags)],
    rows: ex.tableBody.map((row) => ({ row, location: `${uri}:${row.location.line}`, name: rowName(scenario, ex.tableHeader, row) })),
  }));
  const locations = examples.length > 0 ? examples.flatMap((e) => e.rows.map((r) => r.location)) : [`${uri}:${scenario.location.line}`];
  return { uri, scenario, rule, tags, locations, examples };
}

/** Every scenario of a feature, Rule blocks included, in file order. */
export function scenarioViews(pf: ParsedFeature): ScenarioView[] {
  const featureTags = names(pf.feature.tags);
  const out: ScenarioView[] = [];
  for (const child of pf.feature.children) {
    if (child.scenario) out.push(viewOf(pf.uri, child.scenario, featureTags));
    if (child.rule) {
      const ruleTags = [...featureTags, ...names(child.rule.tags)];
      for (const rc of child.rule.children) if (rc.scenario) out.push(viewOf(pf.uri, rc.scenario, ruleTags, child.rule));
    }
  }
  return out;
}

/** Every tag a scenario carries anywhere: its own and inherited ones, and those of its Examples. */
export function allTagsOf(v: ScenarioView): string[] {
  return [...new Set([...v.tags, ...v.examples.flatMap((e) => e.tags)])];
}
