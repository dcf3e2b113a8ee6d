/**
 * The legal behaviours `npm run mutation` proves (scripts/mutation-plan.ts): the legal variants
 * the freedoms of src/requirements/freedoms.ts name, and per switchable erratum
 * (src/requirements/errata.ts, `proof`) the behaviours of its lenient reading — each must pass —
 * and, in the fast plan, the runs that prove several of them at once on one server (the profiles
 * of scripts/mutation-profiles.ts).
 */
import type { Ics } from '../src/config/ics';
import { ERRATA } from '../src/requirements/errata';
import { FREEDOMS } from '../src/requirements/freedoms';
import { VARIANTS } from '../src/server/variants';
import { INDEPENDENT_FREEDOMS } from '../test/independent/variants';
import type { Job } from './mutation-job';
import { configKey, icsFor, memberOf, policiesOf, serverIcs } from './mutation-job';
import type { PROFILES } from './mutation-profiles';
import { checkProfile, profileIcs } from './mutation-profiles';

/** Whether `--only` selects a behaviour, by its name or (in a selected profile) its key. */
export type Wanted = (name: string, key?: string) => boolean;

const byName = (n: string) => VARIANTS.find((v) => v.name === n);

/** The freedoms as written: the legal variants they name, the whole suite each. */
export function freedomJobs(wanted: Wanted, problems: string[]): Job[] {
  const legal: Job[] = [];
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
            config: configKey('reference', ics),
            breaks: [],
          });
        }
    }
  }
  for (const v of VARIANTS.filter((x) => x.kind === 'legal' && !named.has(x.name)))
    problems.push(`legal variant ${v.name} uses no freedom of src/requirements/freedoms.ts: name it there or remove it`);
  return legal;
}

/** The errata as written: each switchable one proven in both readings. */
export function erratumJobs(wanted: Wanted, problems: string[]): Job[] {
  const legal: Job[] = [];
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
        config: configKey('reference', ics),
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
          config: configKey('reference', ics),
          breaks: [],
        });
      }
    }
    for (const n of e.proof.independent)
      if (!INDEPENDENT_FREEDOMS.some((f) => f.name === n))
        problems.push(`erratum ${e.id} names independent freedom "${n}", which does not exist`);
  }
  return legal;
}

/** The fast plan's legal runs: the behaviours of each profile as one run, every other behaviour alone. */
export function groupIntoProfiles(legal: Job[], profiles: typeof PROFILES, problems: string[], withIndependent: boolean): Job[] {
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
    const [first] = members;
    if (!first || members.length < 2) continue;
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
      config: configKey(target, ics),
      breaks: [],
      members,
      ...(independent
        ? { independent: { freedoms: members.flatMap((m) => m.independent!.freedoms) } }
        : { variants: members.flatMap((m) => (m.variant ? [m.variant.name] : [])) }),
    });
  }
  return [...runs, ...legal.filter((j) => !placed.has(j))];
}
