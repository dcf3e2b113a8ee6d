/**
 * Shape of the requirement catalog (src/requirements/catalog.ts): every normative statement
 * of the change request, plus the rules the harness derives from it, with an id, clause,
 * level, paraphrase and a static-conformance status computed against the declared ICS.
 */
import type { Ics } from '../config/ics';

/** RFC 2119 level as the CR words it; 'derived' rules carry the level the harness gives them. */
export type Level = 'SHALL' | 'SHOULD' | 'MAY' | 'informative';

/** A condition on one ICS answer, e.g. { ics: 'clientIdPolicy', is: 'per-device' }. */
export type IcsCondition =
  | { [K in keyof Ics]: { ics: K; is: Ics[K] } }[Exclude<keyof Ics, 'errata' | 'implementation' | 'deviations'>]
  | { erratum: string; is: 'strict' | 'lenient' };

/** Static conformance status, in the manner of an SCR table. */
export type Status =
  | { kind: 'mandatory' }
  /** Checked only when the ICS declares the feature. */
  | { kind: 'optional'; when: IcsCondition }
  /** Mandatory when the condition holds, not applicable otherwise. */
  | { kind: 'conditional'; when: IcsCondition };

/**
 * What states a requirement, which decides its normative force (./force.ts):
 *  - cr-text: a sentence of the change request (clause and paragraph in `where`);
 *  - cr-table: a message table of the change request (clause, table and row);
 *  - binding: the wire binding (its section), the project's contract with every implementation;
 *  - derived: neither states it; the harness reads it out of them (`reasoning`).
 */
export type SourceKind = 'cr-text' | 'cr-table' | 'binding' | 'derived';

export interface Source {
  kind: SourceKind;
  /** Clause and paragraph, table and row, or binding section. */
  where: string;
}

export interface Requirement {
  /** Stable id, used as the scenario tag `@req-<id>`. Lower-case, dotted: `dc.release-groups`. */
  id: string;
  /** Clause of the CR (or 'binding' for rules of the wire binding), used as `@clause-<clause>`. */
  clause: string;
  level: Level;
  /** Where the rule is stated; `derived` rules are the harness's own reading (`reasoning` says how). */
  source: Source;
  reasoning?: string;
  /** One line in the project's own words. */
  text: string;
  status: Status;
  /**
   * Review status (CONTRIBUTING.md, "A requirement's life"): whoever writes the entry proposes
   * it; a spec editor or a second maintainer who checked it against its source moves it to
   * 'reviewed' and may sign it with `reviewedBy` and `reviewedOn`.
   */
  review: ReviewStatus;
  /** Who reviewed it (a name or handle); only with review 'reviewed'. */
  reviewedBy?: string;
  /** When it was reviewed, as an ISO date (YYYY-MM-DD); only with review 'reviewed'. */
  reviewedOn?: string;
}

export type ReviewStatus = 'proposed' | 'reviewed';
