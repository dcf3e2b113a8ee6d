/**
 * The suite's identity as a run saw it: every scenario of its feature files
 * and the digest of their texts (the certificate's featuresDigest and its ICS selection).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { featureFiles, scenariosOf } from '../requirements/features';

export interface SuiteScenarios {
  /** SHA-256 over every feature file's path and text, in path order. */
  digest: string;
  files: number;
  /** Every scenario (pickle) with its location (features/...feature:line) and tags. */
  scenarios: { location: string; name: string; tags: string[] }[];
  /** Feature files whose text on disk differs from the text the run parsed. */
  changedSinceRun: string[];
}

/**
 * The suite as the run saw it: every feature file under featuresDir, taken from the run's own
 * `source` messages where it has them (so a file edited after the run still matches the
 * results) and from disk otherwise (files the run did not load).
 */
export function suiteScenarios(featuresDir: string, root: string, runSources: Map<string, string> = new Map()): SuiteScenarios {
  const texts = new Map(runSources);
  const changedSinceRun: string[] = [];
  for (const f of featureFiles(featuresDir)) {
    const uri = relative(root, f).split('\\').join('/');
    const disk = readFileSync(f, 'utf8');
    const ran = runSources.get(uri);
    if (ran === undefined) texts.set(uri, disk);
    else if (ran !== disk) changedSinceRun.push(uri);
  }
  const uris = [...texts.keys()].sort();
  const h = createHash('sha256');
  const scenarios: SuiteScenarios['scenarios'] = [];
  for (const uri of uris) {
    const text = texts.get(uri)!;
    h.update(uri).update('\0').update(text).update('\0');
    for (const sc of scenariosOf(uri, text)) scenarios.push({ location: sc.location, name: sc.name, tags: sc.tags });
  }
  return { digest: `sha256:${h.digest('hex')}`, files: uris.length, scenarios, changedSinceRun };
}
