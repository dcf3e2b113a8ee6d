/**
 * Applicability of requirements and scenarios, computed from the declared ICS (never from
 * hand-kept tag lists): a scenario applies when every requirement it is tagged with applies.
 */
import type { Ics } from '../config/ics';
import { ERRATA } from './errata';
import { REQUIREMENTS } from './catalog';
import type { IcsCondition, Requirement } from './types';

export function erratumReading(ics: Ics, id: string): 'strict' | 'lenient' {
  return ics.errata[id] ?? ERRATA.find((e) => e.id === id)?.defaultReading ?? 'strict';
}

export function conditionHolds(c: IcsCondition, ics: Ics): boolean {
  return 'erratum' in c ? erratumReading(ics, c.erratum) === c.is : ics[c.ics] === c.is;
}

export function describeCondition(c: IcsCondition, ics: Ics): string {
  return 'erratum' in c
    ? `erratum ${c.erratum} is read ${c.is} (the ICS reads it ${erratumReading(ics, c.erratum)})`
    : `ICS ${c.ics} is ${JSON.stringify(c.is)} (declared ${JSON.stringify(ics[c.ics])})`;
}

export interface Applicability {
  applies: boolean;
  reason?: string;
}

export function requirementApplies(r: Requirement, ics: Ics): Applicability {
  if (r.status.kind === 'mandatory') return { applies: true };
  if (conditionHolds(r.status.when, ics)) return { applies: true };
  const what = r.status.kind === 'optional' ? 'optional; checked only when' : 'applies only when';
  return { applies: false, reason: `${r.id} (${r.level}, clause ${r.clause}) ${what} ${describeCondition(r.status.when, ics)}` };
}

export const REQ_TAG = '@req-';
export const CLAUSE_TAG = '@clause-';

export function requirementIdsOf(tags: readonly string[]): string[] {
  return tags.filter((t) => t.startsWith(REQ_TAG)).map((t) => t.slice(REQ_TAG.length));
}

export interface ScenarioApplicability extends Applicability {
  unknownIds: string[];
}

export function scenarioApplies(tags: readonly string[], ics: Ics): ScenarioApplicability {
  const ids = requirementIdsOf(tags);
  const unknownIds = ids.filter((id) => !REQUIREMENTS.some((r) => r.id === id));
  const reasons = ids
    .map((id) => REQUIREMENTS.find((r) => r.id === id))
    .filter((r): r is Requirement => r !== undefined)
    .map((r) => requirementApplies(r, ics))
    .filter((a) => !a.applies)
    .map((a) => a.reason!);
  return { applies: reasons.length === 0, reason: reasons.join('; ') || undefined, unknownIds };
}
