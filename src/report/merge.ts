/**
 * Merging the shards of one sharded run (`run --shard k/n` on n machines) into one certificate.
 *
 * The shards must be one run cut in n: the same suite (features and the code that judges them),
 * the same ICS and IXIT, the same --tags, the same n and the same sharded selection; each shard
 * index once; every scenario of the selection in exactly one shard. Anything else is refused
 * with a UsageError (exit 2) naming the mismatched digest, the duplicated or the missing
 * scenario. The merged summary is then scored exactly as one run is: buildSummary over the
 * cucumber messages and late verdicts of every shard together (pickle ids are UUIDs, unique
 * across runs), so a sharded run and a full run give the same verdicts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Ics } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { UsageError } from '../cli/usage-error';
import { REPORT_PAGES } from './report-pages';
import { readRun } from './run-reader';
import type { MergedShard, Summary } from './summary';
import { LATE_VERDICTS_FILE } from './verdict';

const MAX_SUMMARY_BYTES = 64 * 1024 * 1024;

export interface ShardRun {
  /** The summary.json as given. */
  file: string;
  summary: Summary & { shard: NonNullable<Summary['shard']> };
  messagesFile: string;
  /** Its late verdicts (traces/late-verdicts.ndjson), when it has any. */
  lateFile?: string;
}

const KEEP_FOLDER =
  'keep the whole run folder of each shard (summary.json, cucumber-messages.ndjson, traces/) as the CI artifact, and give merge its summary.json';

/** Reads one shard's summary.json and finds its messages; a file that is no shard summary is a UsageError. */
export function readShard(file: string): ShardRun {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`${file} is not a regular file`, KEEP_FOLDER);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read (${(e as Error).message})`}`,
      KEEP_FOLDER,
    );
  }
  if (size > MAX_SUMMARY_BYTES) throw new UsageError(`${file} is ${size} bytes, more than a summary.json can be`, KEEP_FOLDER);
  let s: Partial<Summary>;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as Partial<Summary>;
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`, KEEP_FOLDER);
  }
  if (s?.format !== 'dpe-conformance-summary/1')
    throw new UsageError(`${file} is not a dpe-conformance summary.json (format ${JSON.stringify(s?.format)})`, KEEP_FOLDER);
  if (!s.suite?.digest || !s.ics?.digest || !s.ixit?.digest || !s.selection?.keys) {
    throw new UsageError(
      `${file} records no suite, ICS and IXIT digests: it was written by an older dpe-conformance`,
      'run the shards again with this version',
    );
  }
  if (!s.shard) {
    throw new UsageError(
      `${file} is the summary of a run without --shard: there is nothing to merge it with`,
      'merge the summaries of runs made with --shard 1/n … n/n',
    );
  }
  const dir = dirname(resolve(file));
  const messagesFile = join(dir, REPORT_PAGES.messages);
  if (!existsSync(messagesFile))
    throw new UsageError(`${file}: its run folder has no ${REPORT_PAGES.messages}, from which the merged verdicts are scored`, KEEP_FOLDER);
  const late = join(dir, 'traces', LATE_VERDICTS_FILE);
  return { file, summary: s as ShardRun['summary'], messagesFile, ...(existsSync(late) ? { lateFile: late } : {}) };
}

const label = (r: ShardRun) => `shard ${r.summary.shard.index}/${r.summary.shard.total} (${r.file})`;

/**
 * Checks that `shards` are the whole of one sharded run; returns the sharded selection.
 * `localSuite`: the digest of the suite doing the merge, which scores the merged run.
 */
export function checkShards(shards: ShardRun[], localSuite: string): string[] {
  if (!shards.length)
    throw new UsageError(
      'merge needs the summary.json of every shard',
      'dpe-conformance merge reports/shard-1/summary.json reports/shard-2/summary.json …',
    );
  const [first] = shards;
  const same = (what: string, of: (r: ShardRun) => unknown, fix: string) => {
    for (const r of shards.slice(1)) {
      const a = JSON.stringify(of(first!));
      const b = JSON.stringify(of(r));
      if (a !== b) throw new UsageError(`${what} differ: ${label(first!)} has ${a}, ${label(r)} has ${b}`, fix);
    }
  };
  same(
    'the suite digests (features and step code)',
    (r) => r.summary.suite.digest,
    'run every shard from one version of the suite (one commit, one package)',
  );
  same('the ICS digests', (r) => r.summary.ics.digest, 'run every shard with the same ICS file');
  same('the IXIT digests', (r) => r.summary.ixit.digest, 'run every shard with the same IXIT file');
  same('the --tags', (r) => r.summary.tags, 'run every shard with the same --tags (or none)');
  same('the numbers of shards', (r) => r.summary.shard.total, 'run the shards as k/n with one n, and merge all n of them');
  same('the sharded selections', (r) => r.summary.shard.of, 'run every shard from one version of the suite with the same ICS and --tags');
  if (first!.summary.suite.digest !== localSuite) {
    throw new UsageError(
      `the shards ran the suite ${first!.summary.suite.digest}, and this dpe-conformance is ${localSuite}: the merged run would be scored by other code`,
      'merge with the version of the suite the shards ran (the same commit or package)',
    );
  }
  const total = first!.summary.shard.total;
  const byIndex = new Map<number, ShardRun>();
  for (const r of shards) {
    const other = byIndex.get(r.summary.shard.index);
    if (other)
      throw new UsageError(
        `shard ${r.summary.shard.index}/${total} is given twice: ${other.file} and ${r.file}`,
        `give each of the shards 1/${total} … ${total}/${total} once`,
      );
    byIndex.set(r.summary.shard.index, r);
  }
  const of = first!.summary.shard.of;
  const where = new Map<string, ShardRun>();
  for (const r of shards) {
    for (const key of r.summary.selection.keys) {
      if (!of.includes(key))
        throw new UsageError(
          `${label(r)} ran ${key}, which is not in the sharded selection`,
          'run every shard with the same suite, ICS and --tags',
        );
      const other = where.get(key);
      if (other)
        throw new UsageError(
          `scenario ${key} is in two shards: ${label(other)} and ${label(r)}`,
          'run the shards with one n and one suite; give each shard once',
        );
      where.set(key, r);
    }
  }
  const missing = of.filter((k) => !where.has(k));
  if (missing.length) {
    const absent = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    throw new UsageError(
      `${missing.length} scenario(s) of the selection are in no shard given, e.g. ${missing.slice(0, 3).join(', ')}` +
        (absent.length ? ` (shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${total}`).join(', ')} not given)` : ''),
      `give the summary.json of every shard 1/${total} … ${total}/${total}`,
    );
  }
  return of;
}

/** The merged messages, late verdicts and what the merged summary is built from. */
export interface MergeInput {
  messages: string;
  late: string;
  ics: Ics;
  ixit: Ixit;
  icsFile?: string;
  ixitFile?: string;
  target: string;
  tags?: string;
  startedAt: Date;
  finishedAt: Date;
  cucumberSuccess: boolean;
  selectionKeys: string[];
  mergedFrom: MergedShard[];
}

export function mergeInput(shards: ShardRun[], selection: string[]): MergeInput {
  const sorted = [...shards].sort((a, b) => a.summary.shard.index - b.summary.shard.index);
  const texts = sorted.map((r) => readFileSync(r.messagesFile, 'utf8'));
  const withNewline = (t: string) => (t && !t.endsWith('\n') ? `${t}\n` : t);
  const late = sorted.map((r) => (r.lateFile ? withNewline(readFileSync(r.lateFile, 'utf8')) : '')).join('');
  const first = sorted[0]!.summary;
  const starts = sorted.map((r) => Date.parse(r.summary.startedAt));
  const ends = sorted.map((r) => Date.parse(r.summary.startedAt) + r.summary.durationMs);
  const targets = [...new Set(sorted.map((r) => r.summary.target))];
  return {
    messages: texts.map(withNewline).join(''),
    late,
    ics: first.ics.declared,
    ixit: first.ixit.declared,
    icsFile: first.ics.file ?? undefined,
    ixitFile: first.ixit.file ?? undefined,
    target: targets.join('; '),
    tags: first.tags ?? undefined,
    startedAt: new Date(Math.min(...starts)),
    finishedAt: new Date(Math.max(...ends)),
    // each shard's own cucumber result (the merged messages hold only the last one's)
    cucumberSuccess: sorted.every((_, i) => readRun(texts[i]!).success !== false),
    selectionKeys: selection,
    mergedFrom: sorted.map((r) => ({
      ...(r.summary.runId ? { runId: r.summary.runId } : {}),
      shard: `${r.summary.shard.index}/${r.summary.shard.total}`,
      summary: resolve(r.file),
      verdict: r.summary.verdict,
      startedAt: r.summary.startedAt,
      durationMs: r.summary.durationMs,
      scenarios: r.summary.selection.keys.length,
      command: r.summary.command,
    })),
  };
}
