/**
 * Scenario results of a finished run, read from the cucumber messages NDJSON it wrote, keyed
 * by the scenario's location (features/...feature:line) so they join with loadScenarios().
 */
import { readFileSync } from 'node:fs';
import type { Envelope } from '@cucumber/messages';
import { scenarioLines } from './features';

export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'undefined' | 'pending' | 'ambiguous' | 'unknown';

const RANK: Record<ScenarioStatus, number> = { failed: 6, ambiguous: 5, undefined: 4, pending: 3, unknown: 2, skipped: 1, passed: 0 };

export function worst(a: ScenarioStatus, b: ScenarioStatus): ScenarioStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

export function readRunResults(file: string): Map<string, ScenarioStatus> {
  const envelopes = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Envelope);
  const lineOfNode = new Map<string, number>();
  const pickleLocation = new Map<string, string>();
  const caseToPickle = new Map<string, string>();
  const startedToCase = new Map<string, string>();
  const status = new Map<string, ScenarioStatus>();
  for (const e of envelopes) {
    if (e.gherkinDocument) scenarioLines(e.gherkinDocument, lineOfNode);
    else if (e.pickle) {
      const p = e.pickle;
      const line = lineOfNode.get(p.astNodeIds.at(-1)!) ?? lineOfNode.get(p.astNodeIds[0]) ?? 0;
      pickleLocation.set(p.id, `${p.uri}:${line}`);
    } else if (e.testCase) caseToPickle.set(e.testCase.id, e.testCase.pickleId);
    else if (e.testCaseStarted) startedToCase.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
    else if (e.testStepFinished) {
      const loc = pickleLocation.get(caseToPickle.get(startedToCase.get(e.testStepFinished.testCaseStartedId) ?? '') ?? '');
      if (!loc) continue;
      const s = String(e.testStepFinished.testStepResult.status).toLowerCase() as ScenarioStatus;
      status.set(loc, worst(status.get(loc) ?? 'passed', s in RANK ? s : 'unknown'));
    }
  }
  return status;
}
