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
 *
 * Here: the faults, the independent server's runs, the baselines and the catalog's coverage by
 * mutants; a run's shape is in ./mutation-job.ts, the legal behaviours of the freedoms and errata
 * and the profiles that group them in ./mutation-legal.ts.
 */
import type { ClientIdPolicy, Ics } from '../src/config/ics';
import { CLIENT_ID_POLICIES } from '../src/config/ics';
import { REQUIREMENTS } from '../src/requirements/catalog';
import { requirementApplies } from '../src/requirements/applicability';
import { NOT_MUTABLE, VARIANTS } from '../src/server/variants';
import { icsWithFreedoms, INDEPENDENT_FAULTS, INDEPENDENT_FREEDOMS } from '../test/independent/variants';
import type { Job } from './mutation-job';
import { configKey, icsFor, policiesOf } from './mutation-job';
import { erratumJobs, freedomJobs, groupIntoProfiles } from './mutation-legal';
import { PROFILES } from './mutation-profiles';

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

export function plan(o: { only?: string[]; full: boolean; independent: boolean }): Plan {
  const problems: string[] = [];
  const jobs: Job[] = [];
  const profiles = o.full ? [] : PROFILES.filter((p) => !o.only || o.only.includes(`profile:${p.name}`));
  const inProfile = (key: string) => profiles.some((p) => p.members.includes(key));
  const wanted = (name: string, key?: string) => !o.only || o.only.includes(name) || (key !== undefined && inProfile(key));
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
        config: configKey('reference', ics),
        tags,
        failFast,
        breaks: v.breaks,
      });
    }
  }
  const legal: Job[] = [...freedomJobs(wanted, problems), ...erratumJobs(wanted, problems)];
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
        config: configKey('independent', ics),
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
        config: configKey('independent', ics),
        breaks: [],
      });
    }
    for (const f of INDEPENDENT_FAULTS.filter((x) => wanted(`ind:${x.name}`) && !OUT_OF_SCOPE[x.name])) {
      // in range by construction: without declared policies, policiesOf gives exactly one
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
        config: configKey('independent', ics),
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
    if (seen.has(configKey('reference', ics))) return;
    seen.add(configKey('reference', ics));
    const plain = JSON.stringify(ics) === JSON.stringify(icsFor(policy));
    baselines.push({
      kind: plain ? 'reference' : 'baseline',
      label: `reference [${policy}${plain ? '' : ' +ICS'}]`,
      name: 'reference',
      policy,
      ics,
      config: configKey('reference', ics),
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
