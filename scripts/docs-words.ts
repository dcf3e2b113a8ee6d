/**
 * The words the generated docs and the documentation site use for a requirement's status,
 * review and conditions, and for how an erratum is governed: one wording for both.
 */
import type { Erratum } from '../src/requirements/errata';
import { ERRATA } from '../src/requirements/errata';
import type { IcsCondition, Requirement, Status } from '../src/requirements/types';

export function erratumDefault(e: Erratum): string {
  return e.defaultReading ?? 'strict';
}

export function governsInWords(e: Erratum): string {
  switch (e.governs) {
    case 'strict-lenient':
      return `switchable per implementation: ICS \`errata.${e.id}\` = \`strict\` or \`lenient\` ` + `(default \`${erratumDefault(e)}\`)`;
    case 'ics-field':
      return `the ICS answer \`${e.icsField ?? '?'}\``;
    default:
      return 'nothing — the harness has one fixed reading';
  }
}

export function conditionInWords(c: IcsCondition): string {
  if ('erratum' in c) {
    const e = ERRATA.find((x) => x.id === c.erratum);
    const dflt = e ? `; default ${erratumDefault(e)}` : '';
    return `erratum ${c.erratum} is read ${c.is} (ICS \`errata.${c.erratum}\`${dflt})`;
  }
  return `ICS \`${String(c.ics)}\` = \`${String(c.is)}\``;
}

export function statusInWords(s: Status): string {
  switch (s.kind) {
    case 'mandatory':
      return 'mandatory';
    case 'optional':
      return `optional — checked when ${conditionInWords(s.when)}`;
    case 'conditional':
      return `conditional — mandatory when ${conditionInWords(s.when)}, not applicable otherwise`;
  }
}

/** Review status with its signature when there is one: "reviewed by A. Editor on 2026-11-20". */
export function reviewInWords(r: Pick<Requirement, 'review' | 'reviewedBy' | 'reviewedOn'>): string {
  if (r.review !== 'reviewed') return r.review;
  return ['reviewed', r.reviewedBy && `by ${r.reviewedBy}`, r.reviewedOn && `on ${r.reviewedOn}`].filter(Boolean).join(' ');
}
