/**
 * The scenarios of the feature files as the traceability and selection code sees them:
 * one entry per pickle (an Examples row is its own scenario) with its tags and location.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import type { GherkinDocument, Scenario } from '@cucumber/messages';
import { IdGenerator } from '@cucumber/messages';

export interface FeatureScenario {
  /** features/...feature:line of the scenario (or of its Examples row). */
  location: string;
  uri: string;
  name: string;
  tags: string[];
}

export function featureFiles(dir = 'features'): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.feature')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Gherkin AST node id -> line, for scenarios and Examples rows; adds to `m` when given. */
export function scenarioLines(doc: GherkinDocument, m = new Map<string, number>()): Map<string, number> {
  const visitScenario = (s: Scenario) => {
    m.set(s.id, s.location.line);
    for (const ex of s.examples) for (const row of ex.tableBody) m.set(row.id, row.location.line);
  };
  for (const child of doc.feature?.children ?? []) {
    if (child.scenario) visitScenario(child.scenario);
    for (const rc of child.rule?.children ?? []) if (rc.scenario) visitScenario(rc.scenario);
  }
  return m;
}

/** A pickle's line: its Examples row's, else its scenario's (0 when `lineOf` knows neither). */
export function pickleLine(lineOf: ReadonlyMap<string, number>, astNodeIds: readonly string[]): number {
  const line = (id: string | undefined) => (id === undefined ? undefined : lineOf.get(id));
  return line(astNodeIds.at(-1)) ?? line(astNodeIds[0]) ?? 0;
}

/** The scenarios (pickles) of one feature file's text. */
export function scenariosOf(uri: string, text: string): FeatureScenario[] {
  const newId = IdGenerator.incrementing();
  const doc = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(text);
  const lineOf = scenarioLines(doc);
  return compile(doc, uri, newId).map((p) => {
    const line = pickleLine(lineOf, p.astNodeIds);
    return { location: `${uri}:${line}`, uri, name: p.name, tags: p.tags.map((t) => t.name) };
  });
}

export function loadScenarios(files: string[] = featureFiles(), root = process.cwd()): FeatureScenario[] {
  return files.flatMap((file) => scenariosOf(relative(root, file).split('\\').join('/'), readFileSync(file, 'utf8')));
}
