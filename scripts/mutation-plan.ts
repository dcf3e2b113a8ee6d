/**
 * The plan of `npm run mutation`: which suite runs prove the verdicts, from four sources that
 * share as little of the harness's reading as possible.
 *
 *   mutants            faulty reference servers (src/server/variants/areas/, listed by mutants.ts): each must be caught
 *   freedoms           the legal variants named by src/requirements/freedoms.ts: each must pass
 *   errata             per switchable erratum (src/requirements/errata.ts, `proof`): its lenient
 *                      behaviours must pass under an ICS declaring it lenient, and the reference
 *                      server (strict behaviour) too; under the strict ICS the mutant run catches them
 *   independent        the server of test/independent/, written from docs/ and the CR alone: its
 *                      correct form and its freedoms must pass, each of its faults must be caught
 *
 * Two plans prove the same outcome (every fault caught, every legal behaviour passing):
 *
 *   fast (default, npm test)  a fault runs the scenarios tagged with the requirements it breaks,
 *                      stopping at the first failure where any failure decides it (one broken
 *                      requirement, or an independent fault); a fault those scenarios do not catch
 *                      runs again on the whole suite before it is called not caught. Legal
 *                      behaviours run together in the profiles of scripts/mutation-profiles.ts,
 *                      the others alone, each on the whole suite.
 *   full (--full, CI)  the matrix: every fault and every legal behaviour alone, on the whole suite.
 */
import type { ClientIdPolicy, Ics } from '../src/config/ics';
import { CLIENT_ID_POLICIES, referenceIcs } from '../src/config/ics';
import { ERRATA } from '../src/requirements/errata';
import { FREEDOMS } from '../src/requirements/freedoms';
import { REQUIREMENTS } from '../src/requirements/catalog';
import { erratumReading, requirementApplies } from '../src/requirements/applicability';
import type { IcsOverrides, Variant } from '../src/server/variants';
import { NOT_MUTABLE, VARIANTS } from '../src/server/variants';
import { icsWithFreedoms, INDEPENDENT_FAULTS, INDEPENDENT_FREEDOMS } from '../test/independent/variants';
import type { Member } from './mutation-profiles';
import { checkProfile, profileIcs, PROFILES } from './mutation-profiles';

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

/**
 * Faults of the independent implementation that no requirement of the CR or the binding covers,
 * with the reason: shown in its table, not counted (the binding leaves SP onboarding unspecified).
 */
export const OUT_OF_SCOPE: Readonly<Record<string, string>> = {
  'stale-token-after-reonboard':
    "re-onboarding an SP is a test hook the binding leaves unspecified (docs/security.md lists the reference server's own rule); no requirement of the CR or the binding can be broken by it",
};

export interface Plan {
  /** Baselines: the reference and the independent server under the configurations others are compared with. */
  baselines: Job[];
  jobs: Job[];
  problems: string[];
}

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

const key = (target: string, ics: Ics) => `${target} ${JSON.stringify(ics)}`;

export function plan(o: { only?: string[]; full: boolean; independent: boolean }): Plan {
  const problems: string[] = [];
  const jobs: Job[] = [];
  const legal: Job[] = [];
  const profiles = o.full ? [] : PROFILES.filter((p) => !o.only || o.only.includes(`profile:${p.name}`));
  const inProfile = (key: string) => profiles.some((p) => p.members.includes(key));
  const wanted = (name: string, key?: string) => !o.only || o.only.includes(name) || (key !== undefined && inProfile(key));
  const byName = (n: string) => VARIANTS.find((v) => v.name === n);
  const tagsOf = (breaks: string[]) => (o.full ? undefined : breaks.map((id) => `@req-${id}`).join(' or '));

  // mutants: caught when a check of a broken requirement fails or warns
  for (const v of VARIANTS.filter((x) => x.kind === 'mutant' && wanted(x.name))) {
    for (const policy of policiesOf(v.breaks, v.policies)) {
      const ics = icsFor(policy, v.ics);
      for (const id of v.breaks) {
        const r = REQUIREMENTS.find((x) => x.id === id);
        if (!r) problems.push(`${v.name}: breaks "${id}", which the requirement catalog does not have`);
        else if (!requirementApplies(r, ics).applies)
          problems.push(`${v.name}: ${requirementApplies(r, ics).reason}; the mutant's ICS must make it apply`);
      }
      const tags = tagsOf(v.breaks);
      // one broken requirement: the first failing scenario (all are tagged with it) catches it
      const failFast = tags !== undefined && v.breaks.length === 1;
      jobs.push({
        kind: 'mutant',
        label: `${v.name} [${policy}]`,
        name: v.name,
        variant: v,
        policy,
        ics,
        config: key('reference', ics),
        tags,
        failFast,
        breaks: v.breaks,
      });
    }
  }
  // the freedoms as written: the legal variants they name, the whole suite each
  const named = new Set(FREEDOMS.flatMap((f) => f.variants));
  for (const f of FREEDOMS) {
    for (const n of f.variants) {
      const v = byName(n);
      if (v?.kind !== 'legal') problems.push(`freedom ${f.id} names "${n}", which is no legal variant`);
      // one policy unless the variant names its own: a freedom is about behaviour, not the policy
      else if (wanted(n, n))
        for (const policy of v.policies ?? ['per-user-and-device' as const]) {
          const ics = icsFor(policy, v.ics);
          legal.push({
            kind: 'freedom',
            key: n,
            label: `${n} [${policy}]`,
            name: `${f.id}: ${n}`,
            variant: v,
            policy,
            ics,
            config: key('reference', ics),
            breaks: [],
          });
        }
    }
  }
  for (const v of VARIANTS.filter((x) => x.kind === 'legal' && !named.has(x.name)))
    problems.push(`legal variant ${v.name} uses no freedom of src/requirements/freedoms.ts: name it there or remove it`);
  // the errata as written: each switchable one proven in both readings
  for (const e of ERRATA.filter((x) => x.governs === 'strict-lenient')) {
    if (!e.proof?.lenient.length) {
      problems.push(`erratum ${e.id} is switchable but names no variant behaving per its lenient reading (proof)`);
      continue;
    }
    const lenient = (ics: Ics): Ics => ({ ...ics, errata: { ...ics.errata, [e.id]: 'lenient' } });
    if (wanted(`reference-${e.id}`, `${e.id}:reference`)) {
      const ics = lenient(icsFor('per-user-and-device'));
      legal.push({
        kind: 'erratum',
        key: `${e.id}:reference`,
        label: `reference [${e.id} lenient]`,
        name: `${e.id}: reference`,
        policy: 'per-user-and-device',
        ics,
        config: key('reference', ics),
        breaks: [],
      });
    }
    for (const n of e.proof.lenient) {
      const v = byName(n);
      if (!v) {
        problems.push(`erratum ${e.id} names "${n}", which is no variant`);
        continue;
      }
      if (!v.breaks.length)
        problems.push(`erratum ${e.id}: "${n}" breaks nothing under the strict reading, so nothing proves the strict reading is checked`);
      if (!wanted(n, `${e.id}:${n}`)) continue;
      for (const policy of policiesOf(v.breaks, v.policies).slice(0, 1)) {
        const ics = lenient(icsFor(policy, v.ics));
        legal.push({
          kind: 'erratum',
          key: `${e.id}:${n}`,
          label: `${n} [${e.id} lenient, ${policy}]`,
          name: `${e.id}: ${n}`,
          variant: v,
          policy,
          ics,
          config: key('reference', ics),
          breaks: [],
        });
      }
    }
    for (const n of e.proof.independent)
      if (!INDEPENDENT_FREEDOMS.some((f) => f.name === n))
        problems.push(`erratum ${e.id} names independent freedom "${n}", which does not exist`);
  }
  // the independent implementation: correct, with its freedoms, with its faults
  const baselines: Job[] = [];
  const indIcs = (policy: ClientIdPolicy, freedoms: string[]) => icsWithFreedoms(policy, freedoms) as unknown as Ics;
  if (o.independent) {
    for (const policy of CLIENT_ID_POLICIES) {
      const ics = indIcs(policy, []);
      baselines.push({
        kind: 'independent',
        label: `independent [${policy}]`,
        name: 'independent',
        independent: { freedoms: [] },
        policy,
        ics,
        config: key('independent', ics),
        breaks: [],
      });
    }
    for (const f of INDEPENDENT_FREEDOMS.filter((x) => wanted(`ind:${x.name}`, `ind:${x.name}`) && x.name !== 'no-provisioning-endpoint')) {
      const ics = indIcs('per-user-and-device', [f.name]);
      legal.push({
        kind: 'ind-freedom',
        key: `ind:${f.name}`,
        label: `independent +${f.name}`,
        name: f.name,
        independent: { freedoms: [f.name] },
        policy: 'per-user-and-device',
        ics,
        config: key('independent', ics),
        breaks: [],
      });
    }
    for (const f of INDEPENDENT_FAULTS.filter((x) => wanted(`ind:${x.name}`) && !OUT_OF_SCOPE[x.name])) {
      const policy = policiesOf(f.breaks)[0]!;
      const ics = indIcs(policy, []);
      // caught by any failure: the first one decides
      const tags = tagsOf(f.breaks);
      jobs.push({
        kind: 'ind-fault',
        label: `independent !${f.name} [${policy}]`,
        name: f.name,
        independent: { fault: f.name, freedoms: [] },
        policy,
        ics,
        config: key('independent', ics),
        tags,
        failFast: tags !== undefined,
        breaks: f.breaks,
      });
    }
  }
  jobs.push(...groupIntoProfiles(legal, profiles, problems, o.independent));
  // the reference server under the three policies and every configuration a caught run is compared with
  const seen = new Set(baselines.map((b) => b.config));
  const addBaseline = (policy: ClientIdPolicy, ics: Ics) => {
    if (seen.has(key('reference', ics))) return;
    seen.add(key('reference', ics));
    const plain = JSON.stringify(ics) === JSON.stringify(icsFor(policy));
    baselines.push({
      kind: plain ? 'reference' : 'baseline',
      label: `reference [${policy}${plain ? '' : ' +ICS'}]`,
      name: 'reference',
      policy,
      ics,
      config: key('reference', ics),
      breaks: [],
    });
  };
  for (const policy of CLIENT_ID_POLICIES) addBaseline(policy, icsFor(policy));
  for (const j of jobs.filter((x) => x.kind === 'mutant')) addBaseline(j.policy, j.ics);
  // independent faults are compared with the independent baseline of their ICS
  for (const j of jobs.filter((x) => x.kind === 'ind-fault')) {
    if (!seen.has(j.config)) {
      seen.add(j.config);
      baselines.push({
        ...j,
        kind: 'independent',
        label: `independent [${j.policy}]`,
        name: 'independent',
        independent: { freedoms: [] },
        breaks: [],
      });
    }
  }
  // every requirement has a mutant or a reason why not
  if (!o.only) {
    for (const r of REQUIREMENTS) {
      const has = VARIANTS.some((v) => v.kind === 'mutant' && v.breaks.includes(r.id));
      if (!has && !NOT_MUTABLE[r.id]) problems.push(`${r.id} (${r.level}, ${r.source.kind}) has no mutant and no NOT_MUTABLE entry`);
      if (has && NOT_MUTABLE[r.id]) problems.push(`${r.id} has a mutant but is listed in NOT_MUTABLE`);
    }
    for (const id of Object.keys(NOT_MUTABLE))
      if (!REQUIREMENTS.some((r) => r.id === id)) problems.push(`NOT_MUTABLE names "${id}", which the catalog does not have`);
  }
  return { baselines, jobs, problems };
}

/** The ICS of the server a legal behaviour runs on, under its policy, before anything it declares. */
export const serverIcs = (j: Job): Ics => (j.independent ? (icsWithFreedoms(j.policy, []) as unknown as Ics) : icsFor(j.policy));

/** A legal behaviour as scripts/mutation-profiles.ts checks it; an erratum's proof reads some erratum otherwise than its server's ICS. */
export function memberOf(j: Job): Member {
  const base = serverIcs(j);
  const erratumProof = Object.keys(j.ics.errata).some((id) => erratumReading(j.ics, id) !== erratumReading(base, id));
  return { key: j.key!, policy: j.policy, ics: j.ics, variant: j.variant, erratumProof };
}

/** The fast plan's legal runs: the behaviours of each profile as one run, every other behaviour alone. */
function groupIntoProfiles(legal: Job[], profiles: typeof PROFILES, problems: string[], withIndependent: boolean): Job[] {
  const placed = new Set<Job>();
  const runs: Job[] = [];
  for (const p of profiles) {
    const members = legal.filter((j) => j.key !== undefined && p.members.includes(j.key));
    for (const k of p.members) {
      const n = members.filter((j) => j.key === k).length;
      if (n === 0 && (withIndependent || !k.startsWith('ind:')))
        problems.push(`profile ${p.name} names "${k}", which is no legal behaviour of the plan`);
      if (n > 1) problems.push(`profile ${p.name}: "${k}" runs under several policies; a profile has one`);
    }
    if (members.length < 2) continue;
    const first = members[0]!;
    const independent = first.independent !== undefined;
    const target = independent ? 'independent' : 'reference';
    if (members.some((m) => m.kind !== first.kind || (m.independent !== undefined) !== independent)) {
      problems.push(
        `profile ${p.name} mixes kinds of behaviour (${[...new Set(members.map((m) => m.kind))].join(', ')}); a profile is of one kind, on one server`,
      );
      continue;
    }
    const found: string[] = [];
    const ics = profileIcs(p.name, serverIcs(first), members.map(memberOf), found);
    found.push(...checkProfile(p.name, members.map(memberOf), ics));
    if (found.length) {
      problems.push(...found);
      continue;
    }
    for (const m of members) placed.add(m);
    runs.push({
      kind: first.kind,
      label: `profile ${p.name} [${first.policy}] (${members.length} behaviours)`,
      name: `profile ${p.name}`,
      policy: first.policy,
      ics,
      config: key(target, ics),
      breaks: [],
      members,
      ...(independent
        ? { independent: { freedoms: members.flatMap((m) => m.independent!.freedoms) } }
        : { variants: members.flatMap((m) => (m.variant ? [m.variant.name] : [])) }),
    });
  }
  return [...runs, ...legal.filter((j) => !placed.has(j))];
}
