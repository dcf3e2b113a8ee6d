/**
 * Variants declared as data: a table keyed by the variant's name, each entry the requirement ids
 * it breaks (mutants), what it does, and the seams it replaces (seam-tools.ts has the wrappers).
 * The tables keep their order: it is the order of the registry and of the mutation run.
 */
import type { Variant } from './seam-tools';

export type MutantSpec = Omit<Variant, 'name' | 'kind'>;
export type LegalSpec = Omit<Variant, 'name' | 'kind' | 'breaks'>;

export const mutants = (table: Readonly<Record<string, MutantSpec>>): Variant[] =>
  Object.entries(table).map(([name, spec]) => ({ name, kind: 'mutant', ...spec }));

export const legalVariants = (table: Readonly<Record<string, LegalSpec>>): Variant[] =>
  Object.entries(table).map(([name, spec]) => ({ name, kind: 'legal', breaks: [], ...spec }));
