/**
 * Faulty servers (mutants) and legal variants of the reference server, each built through an
 * explicit seam of buildServer (ServerSeams in src/server/app.ts): a step of the device-change
 * procedure, the registration transition, identity resolution, Client ID assignment, query
 * answering, reporting, delivery, input validation or answer building. No flag is added to the
 * reference code: a variant replaces or wraps one seam. Variants are filed by the procedure area
 * they reach (./areas/: registration, device-change, client-id-change, messages, delivery,
 * security), each area declaring the requirement ids its mutants break and the freedoms its
 * legal variants use; mutants.ts and legal.ts list them all.
 *
 * A mutant names the requirement(s) it breaks; `npm run mutation` (scripts/mutation.ts) counts it
 * caught only when a scenario tagged with the broken requirement fails. A legal variant uses a
 * freedom the change request or the binding leaves open and must pass the whole suite under the
 * ICS it declares. Every requirement has a mutant or a NOT_MUTABLE entry saying why not
 * (checked by the mutation run and by test/unit/variants.test.ts).
 */
import type { DpeServer, ServerOptions } from '../app';
import { buildServer, DEFAULT_SEAMS } from '../app';
export type { Variant, IcsOverrides } from './seam-tools';
import type { Variant } from './seam-tools';
import { MUTANTS, WRONG_POLICY } from './mutants';
import { LEGAL } from './legal';

export const VARIANTS: readonly Variant[] = [...MUTANTS, ...WRONG_POLICY, ...LEGAL];

/**
 * Requirements no mutant breaks, with the reason. The mutation run fails when a requirement has
 * neither a mutant nor an entry here, so a new requirement cannot go unmeasured.
 */
export const NOT_MUTABLE: Readonly<Record<string, string>> = {
  'reg.client-registers-at-startup':
    'informative for the server: the SHALL binds the client, and the mock devices of the harness honour it; nothing of the server is observed',
  'dc.relevant-implementation-defined':
    'informative: declares a freedom (which settings are relevant), declared in the ICS as restoredSettings; the legal variant restores-subset uses it',
};

export function findVariant(name: string): Variant {
  const v = VARIANTS.find((x) => x.name === name);
  if (!v) throw new Error(`no server variant "${name}" (known: ${VARIANTS.map((x) => x.name).join(', ')})`);
  return v;
}

export function buildVariant(name: string, o: ServerOptions): DpeServer {
  const v = findVariant(name);
  return buildServer({
    ...o,
    ...v.options,
    delivery: { ...o.delivery, ...v.options?.delivery },
    seams: { ...o.seams, ...v.seams?.({ ...DEFAULT_SEAMS, ...o.seams }, o) },
  });
}
