/**
 * Faulty servers (mutants) and legal variants of the reference server, each built through an
 * explicit seam of buildServer (src/server/app.ts). A mutant names the requirement it breaks;
 * the mutation run checks that a scenario tagged with that requirement fails.
 */
import { buildServer, DEFAULT_SEAMS, type DpeServer, type ServerOptions, type ServerSeams } from './app';
import { releaseAllGroups, releaseAllPolicies } from './device-change';

export interface Variant {
  name: string;
  kind: 'mutant' | 'legal';
  /** Requirement ids a mutant breaks (src/requirements/catalog.ts). */
  breaks: string[];
  description: string;
  seams?: (d: ServerSeams) => Partial<ServerSeams>;
  options?: Partial<ServerOptions>;
}

const without = (name: string) => (d: ServerSeams) => ({
  deviceChangeSteps: d.deviceChangeSteps.filter((s) => s.name !== name),
});

export const VARIANTS: readonly Variant[] = [
  {
    name: 'no-group-release',
    kind: 'mutant',
    breaks: ['dc.release-groups'],
    description: 'skips DPE_Group_Release on a device change',
    seams: without(releaseAllGroups.name),
  },
  {
    name: 'no-policy-release',
    kind: 'mutant',
    breaks: ['dc.release-policies'],
    description: 'skips DPE_Policy_Release on a device change',
    seams: without(releaseAllPolicies.name),
  },
];

export function findVariant(name: string): Variant {
  const v = VARIANTS.find((x) => x.name === name);
  if (!v) throw new Error(`no server variant "${name}" (known: ${VARIANTS.map((x) => x.name).join(', ')})`);
  return v;
}

export function buildVariant(name: string, o: ServerOptions): DpeServer {
  const v = findVariant(name);
  return buildServer({ ...o, ...v.options, seams: { ...o.seams, ...v.seams?.(DEFAULT_SEAMS) } });
}
