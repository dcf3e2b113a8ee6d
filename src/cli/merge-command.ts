/**
 * The merge command: checks that the given summary.json files are the shards of one sharded
 * run (src/report/merge.ts), then writes one run folder with the merged cucumber messages, the
 * late verdicts, the traces, the certificate (summary.json, summary.md, requirements.junit.xml)
 * and the pages a run has (index.html; cucumber's HTML and JUnit reports, written again from the
 * merged messages: src/report/cucumber-formats.ts), and returns the exit code a run with those
 * verdicts would have.
 */
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EXIT } from './exit-codes';
import { checkReportsDir } from './input-paths';
import { defaultRunId } from './options';
import { COMPILED, packageRoot } from './package-info';
import { checkRunFolder, prepareRunFolder } from './run-folder';
import { describeUsageError, UsageError } from './usage-error';

export interface MergeOptions {
  reportsDir: string;
  runId?: string;
  force?: boolean;
}

const say = (line: string) => process.stderr.write(`dpe-conformance: ${line}\n`);
const q = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

export async function mergeCommand(files: string[], o: MergeOptions): Promise<number> {
  const { checkShards, mergeInput, readShard } = await import('../report/merge');
  const { REPORT_PAGES } = await import('../report/report-pages');
  const { suiteDigest } = await import('../report/digests');
  const { LATE_VERDICTS_FILE } = await import('../report/verdict');
  const root = packageRoot();
  let runDir: string;
  let runId: string;
  let input: ReturnType<typeof mergeInput>;
  let shards: ReturnType<typeof readShard>[];
  try {
    checkReportsDir(o.reportsDir);
    shards = files.map(readShard);
    const selection = checkShards(shards, suiteDigest(root, COMPILED).digest);
    runId = o.runId ?? `merged-${defaultRunId()}`;
    runDir = resolve(o.reportsDir, runId);
    checkRunFolder(runDir, runId, o.force ?? false);
    input = mergeInput(shards, selection);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(describeUsageError(e));
    return EXIT.environment;
  }
  prepareRunFolder(runDir, o.force ?? false);
  const messagesFile = join(runDir, REPORT_PAGES.messages);
  writeFileSync(messagesFile, input.messages);
  const lateFile = join(runDir, 'traces', LATE_VERDICTS_FILE);
  if (input.late) writeFileSync(lateFile, input.late);
  // the raw trace of every scenario, from every shard (file names carry the pickle id: no clash)
  for (const r of shards) {
    const traces = join(dirname(resolve(r.file)), 'traces');
    if (!existsSync(traces)) continue;
    for (const f of readdirSync(traces))
      if (f.endsWith('.ndjson') && f !== LATE_VERDICTS_FILE) copyFileSync(join(traces, f), join(runDir, 'traces', f));
  }
  const { buildSummary } = await import('../report/build-summary');
  const { exitCodeFor } = await import('../report/summary');
  const { headline, writeSummary } = await import('../report/summary-render');
  const summary = buildSummary({
    root,
    runId,
    runDir,
    messagesFile,
    lateVerdictsFile: lateFile,
    target: input.target,
    ics: input.ics,
    ixit: input.ixit,
    icsFile: input.icsFile,
    ixitFile: input.ixitFile,
    tags: input.tags,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    cucumberSuccess: input.cucumberSuccess,
    command: ['npx', 'dpe-conformance', 'merge', ...files.map(q)].join(' '),
    selectionKeys: input.selectionKeys,
    mergedFrom: input.mergedFrom,
  });
  writeSummary(runDir, summary);
  // the pages a run folder has: the verdict-first report, and cucumber's own HTML and JUnit, from the merged messages
  const { writeRunReport } = await import('../report/html-report');
  const { injectVerdict } = await import('../report/cucumber-page');
  const { cucumberHtml, cucumberJunit } = await import('../report/cucumber-formats');
  const { parseEnvelopes } = await import('../report/envelopes');
  const envelopes = parseEnvelopes(input.messages);
  writeRunReport(runDir, summary, input.messages);
  writeFileSync(join(runDir, REPORT_PAGES.cucumber), injectVerdict(await cucumberHtml(envelopes), summary));
  writeFileSync(join(runDir, REPORT_PAGES.cucumberJunit), await cucumberJunit(envelopes));
  for (const s of summary.scenarios) {
    if (s.verdict !== 'pass' && s.verdict !== 'not applicable') say(`${s.verdict}: ${s.location} ${s.name}: ${s.reason.split('\n')[0]}`);
  }
  const code = exitCodeFor(summary);
  say(`merged ${shards.length} shard(s) into ${runId}: ${headline(summary)} (exit code ${code}); see ${join(runDir, 'summary.md')}`);
  return code;
}
