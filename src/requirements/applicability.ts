/**
 * Applicability of requirements and scenarios, computed from the declared ICS (never from
 * hand-kept tag lists): a scenario applies when every requirement it is tagged with applies.
 */
import type { Ics } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { spsHaveOwnPorts } from '../config/ixit';
import { RETRY_HORIZON_FLOOR_MS, retryHorizonOf } from '../config/timing';
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

/**
 * Whether a scenario applies: every requirement it is tagged with applies to the ICS, and, when
 * the IXIT is given, the harness can stage what its `@needs-` tags ask for (see harnessCanStage).
 */
export function scenarioApplies(tags: readonly string[], ics: Ics, ixit?: Ixit): ScenarioApplicability {
  const byIcs = requirementsApply(tags, ics);
  if (!ixit || !byIcs.applies) return byIcs;
  const staged = harnessCanStage(tags, ixit);
  return staged.applies
    ? byIcs
    : { applies: false, reason: `the harness cannot stage it under the declared IXIT: ${staged.reason}`, unknownIds: byIcs.unknownIds };
}

function requirementsApply(tags: readonly string[], ics: Ics): ScenarioApplicability {
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

/**
 * What a scenario needs of the harness's own set-up, beyond the target's ICS (tag `@needs-<what>`,
 * on a scenario or an Examples table). The IXIT decides whether the harness can stage it; a scenario
 * it cannot stage is not applicable, with the reason, like one the ICS rules out.
 */
export const NEEDS_TAG = '@needs-';

export const HARNESS_NEEDS: Readonly<Record<string, (ixit: Ixit) => string | undefined>> = {
  /** An SP away for 1 s: the target must declare a retry horizon the outage fits in. */
  'sp-outage': (ixit) =>
    retryHorizonOf(ixit) < RETRY_HORIZON_FLOOR_MS
      ? `the IXIT's timing.retryHorizonMs (${retryHorizonOf(ixit)} ms) is below the ${RETRY_HORIZON_FLOOR_MS} ms an SP outage of 1 s needs: the target declares it stops trying before the SP is back`
      : undefined,
  /** One SP's port closed while the others stay up. */
  'sp-unreachable': (ixit) =>
    spsHaveOwnPorts(ixit)
      ? undefined
      : `the IXIT's mockPort is fixed (${ixit.mockPort}): every mock party shares that one port, so one SP cannot be made unreachable alone — with --parallel, a router shares that port among the workers and forwards to them, so neither can their SPs (mockPort 0 gives each SP a port of its own)`,
  /** A body over the target's limit: only the target knows its limit. */
  'body-limit': (ixit) =>
    ixit.limits?.maxBodyBytes === undefined
      ? "the IXIT declares no limits.maxBodyBytes: the binding sets no body limit, so only the target's declaration says which body is over it"
      : undefined,
};

export function needsOf(tags: readonly string[]): string[] {
  return tags.filter((t) => t.startsWith(NEEDS_TAG)).map((t) => t.slice(NEEDS_TAG.length));
}

export interface StagingApplicability extends Applicability {
  unknownNeeds: string[];
}

/** Whether the harness can stage what the scenario's `@needs-` tags ask for under this IXIT. */
export function harnessCanStage(tags: readonly string[], ixit: Ixit): StagingApplicability {
  const needs = needsOf(tags);
  const unknownNeeds = needs.filter((n) => !(n in HARNESS_NEEDS));
  const reasons = needs.map((n) => HARNESS_NEEDS[n]?.(ixit)).filter((r): r is string => r !== undefined);
  return { applies: reasons.length === 0, reason: reasons.join('; ') || undefined, unknownNeeds };
}
