/**
 * Consistency checks of an ICS and IXIT that their JSON Schemas cannot express: names that
 * must exist in the catalogs or the features, SPs that must be distinct, and IXIT settings
 * that cannot work with the chosen target. Each problem is a UsageError with the fix.
 */
import type { Ics } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { ERRATA } from '../requirements/errata';
import { REQUIREMENTS } from '../requirements/catalog';
import { didYouMean } from './nearest';
import type { SuiteScenario } from './suite-scenarios';
import { UsageError } from './usage-error';

const SWITCHABLE = ERRATA.filter((e) => e.governs === 'strict-lenient').map((e) => e.id);

export function checkIcs(ics: Ics, source: string, scenarios: SuiteScenario[]): void {
  for (const key of Object.keys(ics.errata)) {
    const e = ERRATA.find((x) => x.id === key);
    if (!e) {
      throw new UsageError(
        `${source}: errata.${key} is not an erratum${didYouMean(
          key,
          ERRATA.map((x) => x.id),
        )}`,
        `use the ids of docs/errata.md; the ones an ICS may switch are ${SWITCHABLE.join(', ')}`,
      );
    }
    if (e.governs !== 'strict-lenient') {
      const decided =
        e.governs === 'ics-field' ? `the ICS field ${e.icsField} decides its reading` : 'the harness has one fixed reading of it';
      throw new UsageError(
        `${source}: errata.${key} cannot be switched: ${decided}`,
        `remove ${key} from errata; the ones an ICS may switch are ${SWITCHABLE.join(', ')}`,
      );
    }
  }
  const ids = REQUIREMENTS.map((r) => r.id);
  (ics.deviations ?? []).forEach((d, i) => {
    if (d.requirement !== undefined && !ids.includes(d.requirement)) {
      throw new UsageError(
        `${source}: deviations[${i}].requirement "${d.requirement}" is not a requirement id${didYouMean(d.requirement, ids)}`,
        'use an id of docs/requirements.md (dpe-conformance list shows each scenario with its ids)',
      );
    }
    if (d.scenario !== undefined && !scenarios.some((s) => s.name === d.scenario || s.location === d.scenario)) {
      throw new UsageError(
        `${source}: deviations[${i}].scenario "${d.scenario}" names no scenario${didYouMean(
          d.scenario,
          scenarios.map((s) => s.name),
        )}`,
        'use a scenario name or its features/<file>.feature:<line> as dpe-conformance list prints it',
      );
    }
  });
}

export interface IxitUse {
  /** The target is external (--target, DPE_TARGET, --target-image): it cannot learn an ephemeral mock port. */
  external: boolean;
  /** Worker processes (a fixed mockPort serves them all through one router: mocks/router.ts). */
  parallel: number;
  /** The scenarios the run executes: the SP aliases their steps use must be in the IXIT. */
  scenarios: SuiteScenario[];
}

/** The SP aliases steps name as "the <alias> provider" (steps/support/parameter-types.ts). */
const PROVIDER = /\bthe (\w+) provider\b/g;

export function checkIxit(ixit: Ixit, source: string, use: IxitUse): void {
  for (const field of ['alias', 'spId', 'token'] as const) {
    const seen = new Map<string, number>();
    ixit.serviceProviders.forEach((sp, i) => {
      const first = seen.get(sp[field]);
      if (first !== undefined) {
        const shown = field === 'token' ? '(a token)' : `"${sp[field]}"`;
        throw new UsageError(
          `${source}: serviceProviders[${i}] repeats the ${field} ${shown} of serviceProviders[${first}]`,
          `give every SP its own ${field}: the harness plays each SP separately${field === 'token' ? ' and the server tells them apart by token' : ''}`,
        );
      }
      seen.set(sp[field], i);
    });
  }
  if (use.external && !ixit.onboardThroughProvisioning && ixit.mockPort === 0) {
    throw new UsageError(
      `${source}: onboardThroughProvisioning is false (the SPs are configured in your server beforehand) but mockPort is 0 (a port chosen at run time): ` +
        'the Notify-URIs your server holds cannot name it, so every report to an SP would be lost',
      'set mockPort to the port of the Notify-URIs you configured (http://<mockHost>:<mockPort>/sps/<spId>), or set onboardThroughProvisioning true',
    );
  }
  const aliases = new Set(ixit.serviceProviders.map((sp) => sp.alias));
  const missing = new Map<string, SuiteScenario>();
  for (const s of use.scenarios) {
    for (const step of s.steps)
      for (const [, alias] of step.matchAll(PROVIDER)) if (alias && !aliases.has(alias) && !missing.has(alias)) missing.set(alias, s);
  }
  const [first] = missing;
  if (first) {
    const [alias, s] = first;
    throw new UsageError(
      `${source}: the features use the SP alias${missing.size > 1 ? 'es' : ''} ${[...missing.keys()].map((a) => `"${a}"`).join(', ')} ` +
        `(e.g. "${s.name}", ${s.location}), and serviceProviders has only ${[...aliases].map((a) => `"${a}"`).join(', ')}`,
      `add { "alias": "${alias}", "spId": "<SP-ID>", "token": "<token>" } to serviceProviders (keep the aliases maps and music)`,
    );
  }
}
