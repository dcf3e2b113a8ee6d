/**
 * Normative force: what a failed check of a requirement does to the run. The change request
 * (its text and tables) and the wire binding fail a run; a rule the harness derives itself only
 * warns — the run then passes "with warnings", like Autobahn's NON-STRICT — unless the
 * implementation declared that reading itself by naming the erratum in its ICS, which makes the
 * declaration one more claim to verify (the Matter harness's PICS check).
 */
import type { Ics } from '../config/ics';
import { REQUIREMENTS } from './catalog';
import type { Requirement, SourceKind } from './types';

export type Force = 'fails' | 'warns' | 'informs';

export const SOURCE_WORDS: Record<SourceKind, string> = {
  'cr-text': 'CR text',
  'cr-table': 'CR table',
  binding: 'binding',
  derived: 'derived',
};

/** The erratum reading a requirement is conditional on, when it is one. */
function erratumCondition(r: Requirement): { erratum: string; is: string } | undefined {
  return r.status.kind !== 'mandatory' && 'erratum' in r.status.when ? r.status.when : undefined;
}

export function forceOf(r: Requirement, ics?: Ics): Force {
  if (r.level === 'informative') return 'informs';
  if (r.level === 'SHOULD') return 'warns';
  if (r.source.kind !== 'derived') return 'fails';
  const c = erratumCondition(r);
  if (c && ics && ics.errata[c.erratum] === c.is) return 'fails';
  return 'warns';
}

/** The force of a requirement by id (unknown ids fail: a check must never be weaker than its name). */
export function forceOfId(id: string, ics?: Ics): Force {
  const r = REQUIREMENTS.find((x) => x.id === id);
  return r ? forceOf(r, ics) : 'fails';
}

/** Force in words, for reports and docs. */
export function forceInWords(r: Requirement): string {
  if (r.level === 'informative') return 'informs (no verdict)';
  if (r.level === 'SHOULD') return 'warns';
  if (r.source.kind !== 'derived') return 'fails the run';
  const c = erratumCondition(r);
  return c ? `warns; fails when the ICS declares ${c.erratum} ${c.is}` : 'warns';
}
