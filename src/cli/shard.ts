/**
 * Sharding a run over machines (`run --shard k/n`): a deterministic slice of the selected
 * scenarios, stable by scenario location, so that n CI jobs each run one shard and
 * `dpe-conformance merge` (src/report/merge.ts) joins their summaries into one certificate.
 * The CI system's own matrix is the distributed engine; nothing here schedules anything.
 *
 * The partition: the selected scenarios sorted by location (features/<file>.feature:<line>);
 * the applicable ones dealt round-robin over the n shards, then the ones the ICS rules out
 * (they cost nothing, but are reported as not applicable by the shard that holds them). Every
 * selected scenario is in exactly one shard, for any n.
 */
import { scenarioApplies } from '../requirements/applicability';
import type { Ics } from '../config/ics';
import type { SuiteScenario } from './suite-scenarios';
import { UsageError } from './usage-error';

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

const SHAPE_FIX = 'give the shard as k/n with 1 <= k <= n, e.g. --shard 2/3 runs the second of three shards';

/** Parses `k/n`; anything else is a UsageError with the fix. */
export function parseShard(v: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(v);
  if (!m) throw new UsageError(`--shard "${v}" is not of the form k/n`, SHAPE_FIX);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1) throw new UsageError(`--shard ${v}: the number of shards n must be at least 1`, SHAPE_FIX);
  if (index < 1 || index > total)
    throw new UsageError(
      `--shard ${v}: k must be from 1 to ${total}`,
      `${SHAPE_FIX}; the shards of ${total} are 1/${total} … ${total}/${total}`,
    );
  return { index, total };
}

export const shardLabel = (s: Shard): string => `${s.index}/${s.total}`;

/** Locations sort as people read them: by file, then by line as a number. */
export const byLocation = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** The scenarios of `selected` that shard `s` runs (in location order). */
export function shardOf<T extends Pick<SuiteScenario, 'location' | 'tags'>>(selected: T[], s: Shard, ics: Ics): T[] {
  const sorted = [...selected].sort((a, b) => byLocation(a.location, b.location));
  const applicable = sorted.filter((x) => scenarioApplies(x.tags, ics).applies);
  const ruledOut = sorted.filter((x) => !scenarioApplies(x.tags, ics).applies);
  const mine = new Set([
    ...applicable.filter((_, i) => i % s.total === s.index - 1),
    ...ruledOut.filter((_, i) => i % s.total === s.index - 1),
  ]);
  return sorted.filter((x) => mine.has(x));
}

/** Checks that every shard of `s.total` gets an applicable scenario: more shards than that is a usage mistake. */
export function checkShardSize(applicable: number, s: Shard): void {
  if (s.total > applicable) {
    throw new UsageError(
      `--shard ${shardLabel(s)}: the run selects ${applicable} applicable scenario(s), fewer than ${s.total} shards, so some shards would run nothing`,
      `use at most ${applicable} shards (--shard k/${applicable}), or select more scenarios`,
    );
  }
}

/**
 * The cucumber paths that run exactly `scenarios`: one `<file>:<line>:<line>…` per feature file
 * (cucumber selects a pickle by the line of its scenario or its Examples row).
 */
export function cucumberPaths(scenarios: Pick<SuiteScenario, 'location'>[]): string[] {
  const lines = new Map<string, number[]>();
  for (const s of scenarios) {
    const i = s.location.lastIndexOf(':');
    const file = s.location.slice(0, i);
    lines.set(file, [...(lines.get(file) ?? []), Number(s.location.slice(i + 1))]);
  }
  return [...lines].map(([file, ls]) => `${file}:${[...new Set(ls)].sort((a, b) => a - b).join(':')}`);
}
