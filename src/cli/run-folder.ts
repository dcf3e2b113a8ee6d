/**
 * The run folder reports/<run-id>/ holds one run's certificate: a reused run id would mix a new
 * run's files with an old one's (stale traces beside new ones). It is refused unless --force,
 * which clears the folder first — only once every other check has passed.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usage-error';

export function checkRunFolder(runDir: string, runId: string, force: boolean): void {
  let entries: string[];
  try {
    if (!statSync(runDir).isDirectory()) {
      throw new UsageError(`the run folder ${runDir} exists and is not a folder`, 'choose another --run-id, or move that file away');
    }
    entries = readdirSync(runDir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return; // not there: a new run
  }
  if (entries.length && !force) {
    const what = entries.includes('summary.json') ? 'the certificate of an earlier run' : `${entries.length} file(s) of an earlier run`;
    throw new UsageError(
      `--run-id ${runId}: ${runDir} already holds ${what}`,
      `choose another --run-id (or none: the UTC start time), or add --force to delete that folder and run again`,
    );
  }
}

/** Creates the run folder and its traces/ (after clearing it with --force). */
export function prepareRunFolder(runDir: string, force: boolean): void {
  if (force) rmSync(runDir, { recursive: true, force: true });
  mkdirSync(join(runDir, 'traces'), { recursive: true });
}
