/**
 * The embedded reference server a mutation run asks for by name (DPE_VARIANT): one variant
 * (src/server/variants), or a profile of legal behaviours run as one server, "a+b+c". In a
 * profile each variant's seams are built over those of the variants before it, exactly as
 * buildVariant builds one variant's over the defaults, so a variant that wraps a seam wraps the
 * earlier one; which variants may share a server is the mutation plan's business
 * (scripts/mutation-profiles.ts checks that none replaces a seam another one set).
 */
import type { DpeServer, ServerOptions, ServerSeams } from '../server/app';
import { buildServer, DEFAULT_SEAMS } from '../server/app';
import { buildVariant, findVariant } from '../server/variants';

export const PROFILE_JOINER = '+';

export function buildVariantProfile(spec: string, o: ServerOptions): DpeServer {
  const names = spec.split(PROFILE_JOINER);
  if (names.length === 1) return buildVariant(spec, o);
  const variants = names.map(findVariant);
  let seams: ServerSeams = { ...DEFAULT_SEAMS, ...o.seams };
  let options: Partial<ServerOptions> = {};
  let delivery = { ...o.delivery };
  for (const v of variants) {
    options = { ...options, ...v.options };
    delivery = { ...delivery, ...v.options?.delivery };
    seams = { ...seams, ...v.seams?.(seams, o) };
  }
  return buildServer({ ...o, ...options, delivery, seams });
}
