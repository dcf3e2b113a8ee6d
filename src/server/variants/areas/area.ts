/** A procedure area of the reference server and the variants that reach it (src/server/variants/areas/). */
import type { ServerSeams } from '../../app';
import type { Variant } from '../seam-tools';

export type AreaName = 'registration' | 'device-change' | 'client-id-change' | 'messages' | 'delivery' | 'security';

export interface VariantArea {
  area: AreaName;
  /** The server code the area's variants change through seams. */
  code: readonly string[];
  /** The seams they replace or wrap, mostly (a variant may also wrap a seam of another area). */
  seams: readonly (keyof ServerSeams)[];
  /** Requirement ids the area's mutants break: exactly the union of their `breaks`. */
  breaks: readonly string[];
  /** Freedom ids (src/requirements/freedoms.ts) the area's legal variants exercise. */
  freedoms: readonly string[];
  mutants: readonly Variant[];
  legal: readonly Variant[];
}
