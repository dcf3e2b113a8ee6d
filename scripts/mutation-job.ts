/**
 * A run of `npm run mutation` (planned by scripts/mutation-plan.ts, run by
 * scripts/mutation-runner.ts): which server, under which policy and ICS, on which scenarios, and
 * what it proves — plus how a run's ICS and the configuration a caught run is compared with are
 * derived.
 */
import type { ClientIdPolicy, Ics } from '../src/config/ics';
import { referenceIcs } from '../src/config/ics';
import { erratumReading } from '../src/requirements/applicability';
import { REQUIREMENTS } from '../src/requirements/catalog';
import type { IcsOverrides, Variant } from '../src/server/variants';
import { icsWithFreedoms } from '../test/independent/variants';
import type { Member } from './mutation-profiles';

export type JobKind = 'reference' | 'baseline' | 'mutant' | 'freedom' | 'erratum' | 'independent' | 'ind-fault' | 'ind-freedom';

export interface Job {
  kind: JobKind;
  label: string;
  name: string;
  variant?: Variant;
  /** The independent server, with at most one fault and any freedoms. */
  independent?: { fault?: string; freedoms: string[] };
  policy: ClientIdPolicy;
  ics: Ics;
  /** Key of the (target, policy, ICS) configuration a caught run is compared with. */
  config: string;
  /** Cucumber tag expression limiting the scenarios run (absent: the whole suite). */
  tags?: string;
  /** Requirements a fault breaks (mutants and independent faults). */
  breaks: string[];
  /** A legal behaviour's name in scripts/mutation-profiles.ts (uuid-client-ids, E01:reference, ind:extra-ies). */
  key?: string;
  /** A profile: the legal behaviours this one run proves, as one server. */
  members?: Job[];
  /** The reference server built as several variants at once (a profile). */
  variants?: string[];
  /** Stop at the first failing scenario: any failure among the selected scenarios decides the outcome. */
  failFast?: boolean;
  /** A fault run again on the whole suite because the scenarios of what it breaks did not catch it. */
  wholeSuiteAgain?: boolean;
}

/** The reference server's ICS under `policy`, with what a variant declares of its own. */
export function icsFor(policy: ClientIdPolicy, o: IcsOverrides = {}): Ics {
  const base = referenceIcs(policy);
  return { ...base, ...o, errata: { ...base.errata, ...o.errata } };
}

/** The policy a variant runs under: the one its broken requirements are conditional on, else the default. */
export function policiesOf(breaks: string[], declared?: ClientIdPolicy[]): ClientIdPolicy[] {
  if (declared) return declared;
  for (const id of breaks) {
    const r = REQUIREMENTS.find((x) => x.id === id);
    if (r && r.status.kind !== 'mandatory' && 'ics' in r.status.when && r.status.when.ics === 'clientIdPolicy')
      return [r.status.when.is as ClientIdPolicy];
    if (id === 'msg.client-id-report.user-null') return ['per-device'];
  }
  return ['per-user-and-device'];
}

/** Key of the (target, policy, ICS) configuration of a run: a caught run is compared with the baseline of its key. */
export const configKey = (target: string, ics: Ics): string => `${target} ${JSON.stringify(ics)}`;

/** The ICS of the server a legal behaviour runs on, under its policy, before anything it declares. */
export const serverIcs = (j: Job): Ics => (j.independent ? (icsWithFreedoms(j.policy, []) as unknown as Ics) : icsFor(j.policy));

/** A legal behaviour as scripts/mutation-profiles.ts checks it; an erratum's proof reads some erratum otherwise than its server's ICS. */
export function memberOf(j: Job): Member {
  const base = serverIcs(j);
  const erratumProof = Object.keys(j.ics.errata).some((id) => erratumReading(j.ics, id) !== erratumReading(base, id));
  return { key: j.key!, policy: j.policy, ics: j.ics, variant: j.variant, erratumProof };
}
