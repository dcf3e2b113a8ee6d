/**
 * Profiles: legal behaviours run as ONE server in one suite run by `npm run mutation` (the fast
 * plan of `npm test`); `npm run mutation -- --full` runs every behaviour alone instead (the
 * matrix, which .ci/run runs too). A server using many freedoms at once must pass every scenario
 * that applies to any of them: a stronger proof of their interaction, in a fraction of the runs.
 *
 * A legal behaviour (a member) is a freedom's variant (`uuid-client-ids`), one reading of a
 * switchable erratum (`E01:reference` is the reference server under the lenient reading,
 * `E01:group-release-hyphenated-ie` the variant behaving per it), or a freedom of the independent
 * server (`ind:extra-ies`). A behaviour in no profile runs alone. checkProfile() refuses a profile
 * (a plan problem: the mutation run fails) that could hide a member's false failure:
 *
 *   policy      every member runs under the profile's Client ID policy
 *   ICS         the profile declares what each member declares; two members declaring one field
 *               differently cannot share a server
 *   reach       no member loses a scenario: every scenario that applies under a member's own
 *               ICS applies under the profile's (computed from the features and the catalog)
 *   judged      a member is judged against its own ICS: the profile may differ from it only in
 *               erratum readings, and only for a member that is itself an erratum's proof
 *   seams       (reference server) no two members set the same seam of buildServer, unless each
 *               rewrites the one it is given when the server is built (replaceStep on the
 *               device-change steps, the Client ID assigners): a variant that replaces a seam
 *               wholesale, or wraps it when called, would hide the other's behaviour; and no
 *               two members set the same server option
 *
 * What the checks cannot see is a member that leaves out what another one changes (a report,
 * the releases of a first registration, a registration it rejects): such behaviours are in no
 * profile here, and the matrix runs every member alone.
 */
import type { Ics } from '../src/config/ics';
import { erratumReading, scenarioApplies } from '../src/requirements/applicability';
import { loadScenarios } from '../src/requirements/features';
import type { ServerOptions, ServerSeams } from '../src/server/app';
import { DEFAULT_SEAMS } from '../src/server/app';
import type { Variant } from '../src/server/variants';

export interface ProfileSpec {
  name: string;
  members: string[];
  why: string;
}

/** The reference server's freedoms, its erratum readings, and the independent server's freedoms. */
export const PROFILES: readonly ProfileSpec[] = [
  {
    name: 'freedoms-delayed',
    members: [
      'delayed-delivery',
      'uuid-client-ids',
      'policy-release-first',
      'report-without-replaces',
      'returning-user-gets-old-id',
      'error-detail-wording',
      'patient-retries',
    ],
    why: 'late deliveries (up to 70% of the deadline) with reordered releases, UUID Client IDs given back to returning pairs, reports without Replaces-Client-ID, own error wording and patient retries',
  },
  {
    name: 'freedoms-revalidating',
    members: ['resends-sets-on-unchanged-registration', 'long-opaque-client-ids', 'group-policies-right-after-groups', 'reversed-id-order'],
    why: 'revalidation on unchanged registrations, 170-character Client IDs, group policies right after their groups, bags newest first',
  },
  {
    name: 'freedoms-wire',
    // each rewrites the deliver seam it is given (mapOutbound), so each builds on the one before
    members: ['extra-ies-everywhere', 'random-report-message-ids', 'uuid-client-message-ids'],
    why: 'unknown IEs in every message and answer, random report Message-IDs, UUID client Message-IDs with a charset parameter',
  },
  {
    name: 'errata-reference',
    members: ['E01:reference', 'E02:reference', 'E03:reference', 'E47:reference'],
    why: "the reference server (strict behaviour) under the lenient readings of the errata that change no scenario's applicability",
  },
  {
    name: 'errata-lenient',
    members: [
      'E01:group-release-hyphenated-ie',
      'E02:policy-release-underscored-ie',
      'E03:response-type-from-table',
      'E47:report-empty-bag-for-none',
    ],
    why: "each message spelled per the lenient reading of its erratum: Group-ID, Policy_ID, the table's response type, empty bags in reports",
  },
  {
    name: 'ind-freedoms-early-messages',
    members: [
      'ind:messages-before-response',
      'ind:policy-release-first',
      'ind:uuid-client-ids',
      'ind:random-report-message-ids',
      'ind:extra-ies',
      'ind:bag-newest-first',
      'ind:error-extra-fields',
      'ind:chunked-deliveries',
      'ind:json-charset-content-type',
      'ind:empty-hook-answers',
      'ind:shared-relay-message-id',
      'ind:validate-before-auth',
    ],
    why: 'client messages before the answer, policy release first, UUID Client IDs, random report Message-IDs, extra IEs; bags newest first, error objects with fields of their own, chunked deliveries with lower-case headers, a charset, empty hook answers, one Message-ID for a relay to several devices, body checks before the token',
  },
  {
    name: 'ind-freedoms-early-reports',
    members: [
      'ind:reports-before-response',
      'ind:property-policies-first',
      'ind:restore-earlier-pair-id',
      'ind:uuid-message-ids',
      'ind:omit-replaces',
      'ind:rapid-retries',
      'ind:duplicate-report-deliveries',
      'ind:reports-before-device-messages',
      'ind:paced-deliveries',
    ],
    why: 'reports before the answer, property policies first, earlier pair IDs back, UUID Message-IDs, no Replaces-Client-ID; reports retried every 50 ms and delivered again, device messages after the reports, 100 ms between messages to one destination',
  },
  {
    name: 'ind-freedoms-delayed',
    members: ['ind:delivery-delay', 'ind:revalidate-resend-sets', 'ind:release-left-device', 'ind:null-user-report-first'],
    why: 'deliveries 250 ms after their cause, revalidation, releases to the device a SIM left, the null-user report first',
  },
  {
    name: 'ind-errata-lenient',
    members: ['ind:group-release-ie-hyphen', 'ind:policy-release-ie-underscore', 'ind:response-type-query', 'ind:empty-bag-none'],
    why: "Group-ID, Policy_ID, the table's response type and empty bags, each per the lenient reading of its erratum",
  },
];

/** A legal behaviour as the plan knows it: what checkProfile needs. */
export interface Member {
  key: string;
  policy: string;
  ics: Ics;
  /** The reference server's variant (absent: the reference server itself, or the independent server). */
  variant?: Variant;
  /** The member is one reading of a switchable erratum (its ICS reads that erratum leniently). */
  erratumProof: boolean;
}

const scenarios = (() => {
  let cached: ReturnType<typeof loadScenarios> | undefined;
  return () => (cached ??= loadScenarios());
})();

const applicable = (ics: Ics): Set<string> =>
  new Set(
    scenarios()
      .filter((s) => scenarioApplies(s.tags, ics).applies)
      .map((s) => s.location),
  );

/** The profile's ICS: `base` (the server's ICS under the policy) with every member's own declarations; a conflict is a problem. */
export function profileIcs(name: string, base: Ics, members: Member[], problems: string[]): Ics {
  const ics: Ics = { ...base, errata: { ...base.errata } };
  const by = new Map<string, string>();
  const declare = (what: string, current: unknown, value: unknown, set: () => void, key: string) => {
    if (JSON.stringify(current) === JSON.stringify(value)) return;
    if (by.has(what)) problems.push(`profile ${name}: ${by.get(what)} and ${key} declare ${what} differently`);
    by.set(what, key);
    set();
  };
  for (const m of members) {
    for (const k of Object.keys(m.ics) as Array<keyof Ics>) {
      if (k === 'errata' || JSON.stringify(m.ics[k]) === JSON.stringify(base[k])) continue;
      declare(k, ics[k], m.ics[k], () => Object.assign(ics, { [k]: m.ics[k] }), m.key);
    }
    for (const [id, reading] of Object.entries(m.ics.errata)) {
      if (reading === erratumReading(base, id)) continue;
      declare(`erratum ${id}`, erratumReading(ics, id), reading, () => (ics.errata[id] = reading), m.key);
    }
  }
  return ics;
}

/** Seams a variant sets, and those it rewrites from the given ones while the server is built. */
function seamUse(v: Variant): { sets: string[]; rewrites: Set<string> } {
  const read = new Set<string>();
  const given = new Proxy({ ...DEFAULT_SEAMS } as ServerSeams, {
    get(t, k) {
      read.add(String(k));
      return t[k as keyof ServerSeams];
    },
  });
  const sets = Object.keys(v.seams?.(given, {} as ServerOptions) ?? {});
  return { sets, rewrites: new Set(sets.filter((k) => read.has(k))) };
}

/** Problems that make `members` unfit to share one server under `ics` (empty: fit). */
export function checkProfile(name: string, members: Member[], ics: Ics): string[] {
  const problems: string[] = [];
  const policies = new Set(members.map((m) => m.policy));
  if (policies.size > 1) problems.push(`profile ${name}: its members run under different policies (${[...policies].join(', ')})`);
  const reach = applicable(ics);
  for (const m of members) {
    const lost = [...applicable(m.ics)].filter((loc) => !reach.has(loc));
    if (lost.length)
      problems.push(
        `profile ${name}: ${m.key} would lose ${lost.length} scenario(s) that apply under its own ICS (${lost.slice(0, 3).join(', ')})`,
      );
    const fields = [...new Set([...Object.keys(m.ics), ...Object.keys(ics)])].filter((k) => k !== 'errata') as Array<keyof Ics>;
    const differ = fields.filter((k) => JSON.stringify(m.ics[k]) !== JSON.stringify(ics[k]));
    if (differ.length)
      problems.push(
        `profile ${name}: ${m.key} would be judged against an ICS other than its own (${differ.join(', ')}; only erratum readings may differ)`,
      );
    const ids = [...new Set([...Object.keys(m.ics.errata), ...Object.keys(ics.errata)])];
    const relaxed = ids.filter((id) => erratumReading(m.ics, id) !== erratumReading(ics, id));
    if (relaxed.length && !m.erratumProof)
      problems.push(`profile ${name}: ${m.key} reads every erratum strictly, but the profile reads ${relaxed.join(', ')} leniently`);
  }
  const setters = new Map<string, Array<{ key: string; rewrites: boolean }>>();
  const options = new Map<string, string[]>();
  for (const m of members) {
    if (!m.variant) continue;
    const { sets, rewrites } = seamUse(m.variant);
    for (const k of sets) setters.set(k, [...(setters.get(k) ?? []), { key: m.key, rewrites: rewrites.has(k) }]);
    for (const k of Object.keys(m.variant.options ?? {})) options.set(k, [...(options.get(k) ?? []), m.key]);
  }
  for (const [k, list] of setters) {
    if (list.length > 1 && list.some((x) => !x.rewrites))
      problems.push(
        `profile ${name}: ${list.map((x) => x.key).join(' and ')} all set the seam ${k} (only seams each one rewrites from the given one can be shared)`,
      );
  }
  for (const [k, list] of options)
    if (list.length > 1) problems.push(`profile ${name}: ${list.join(' and ')} all set the server option ${k}`);
  return problems;
}
