/**
 * Digests that say which suite, ICS and IXIT a run used, so that the shards of one sharded run
 * can be checked to be the same suite under the same declarations before they are merged
 * (src/report/merge.ts): the suite's feature files and the code that judges them (steps, mocks,
 * harness — compiled or TypeScript, whichever runs), and the canonical JSON of the ICS and of the
 * IXIT (with SP tokens redacted, as the summary prints it).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export const jsonDigest = (v: unknown): string => `sha256:${createHash('sha256').update(canonicalJson(v)).digest('hex')}`;

/** The folders whose files make up the suite: features and the code a run loads to judge them. */
export function suiteFolders(compiled: boolean): string[] {
  return ['features', ...(compiled ? ['dist/steps', 'dist/mocks', 'dist/src'] : ['steps', 'mocks', 'src'])];
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && !name.endsWith('.map')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** SHA-256 over the path and content of every file of the suite (features + step and harness code), in path order. */
export function suiteDigest(root: string, compiled: boolean): { digest: string; files: number } {
  const files = suiteFolders(compiled)
    .flatMap((d) => filesUnder(join(root, d)))
    .map((f) => ({ f, rel: relative(root, f).split('\\').join('/') }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const h = createHash('sha256');
  for (const { f, rel } of files) h.update(rel).update('\0').update(readFileSync(f)).update('\0');
  return { digest: `sha256:${h.digest('hex')}`, files: files.length };
}
