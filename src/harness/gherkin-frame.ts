/**
 * The one stack frame of a failure about the target: the feature step that was running, as
 * `at Then phone B receives … (features/….feature:40)`. A failure's stack must not be its
 * message alone: cucumber parses every failed step's stack (error-stack-parser), and a stack
 * without a V8 frame is parsed line by line as a Firefox one, with a regular expression that is
 * cubic in a line holding quotes and colons — a failure quoting a few JSON bodies then cost
 * seconds of CPU, one with 40 lines of them minutes. A V8-shaped frame is parsed in linear time,
 * and it points at the feature, never into src/harness.
 */
import type { GherkinDocument, Pickle, PickleStep } from '@cucumber/messages';

/** What the frame names before any step ran (a failure of the harness's own set-up). */
const NO_STEP = "the harness's set-up (native)";
let current = NO_STEP;

/** The frame failures made from now on carry. */
export function currentGherkinFrame(): string {
  return `    at ${current}`;
}

/** The step now running (BeforeStep). */
export function enterStep(doc: GherkinDocument | undefined, pickle: Pickle, step: PickleStep): void {
  const ast = doc ? find(doc, step.astNodeIds[0]) : undefined;
  current = `${ast?.keyword ?? ''}${oneLine(step.text)} ${where(pickle, ast?.location.line)}`;
}

/** The settled judgement after the last step (the After hook): the scenario's line. */
export function enterSettle(doc: GherkinDocument | undefined, pickle: Pickle): void {
  current = `the settled judgement of "${oneLine(pickle.name)}" ${where(pickle, doc ? scenarioLine(doc, pickle.astNodeIds[0]) : undefined)}`;
}

/** `(uri:line)`; a V8 frame needs a line number to be parsed as one: without it the document's first line. */
const where = (pickle: Pickle, line: number | undefined) => `(${pickle.uri}:${line ?? 1})`;

/** Between scenarios. */
export function leaveScenario(): void {
  current = NO_STEP;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

interface AstStep {
  id: string;
  keyword: string;
  location: { line: number };
}

/** Every step of the document (backgrounds, scenarios, rules). */
function* stepsOf(doc: GherkinDocument): Generator<AstStep> {
  for (const child of doc.feature?.children ?? []) {
    const groups = child.rule ? child.rule.children : [child];
    for (const g of groups) yield* g.background?.steps ?? g.scenario?.steps ?? [];
  }
}

function scenarioLine(doc: GherkinDocument, id: string | undefined): number | undefined {
  for (const child of doc.feature?.children ?? []) {
    for (const g of child.rule ? child.rule.children : [child]) if (g.scenario && g.scenario.id === id) return g.scenario.location.line;
  }
  return undefined;
}

function find(doc: GherkinDocument, id: string | undefined): AstStep | undefined {
  if (id === undefined) return undefined;
  for (const s of stepsOf(doc)) if (s.id === id) return s;
  return undefined;
}
