/**
 * Runs the suite programmatically: the project's cucumber.js default profile supplies the
 * feature paths, step code and formatter options; the formats are replaced so that every
 * report of one run lands in its own reports/<run-id>/ folder.
 */
import { join } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';

export interface CucumberRunOptions {
  /** Package root: where cucumber.js, features/ and steps/ are. */
  root: string;
  runDir: string;
  tags?: string;
  parallel: number;
  worldParameters: Record<string, string>;
  /** Formatter for the terminal: a progress bar on a TTY, dots otherwise. */
  stdoutFormat: 'progress-bar' | 'progress';
  env: NodeJS.ProcessEnv;
}

export interface CucumberRunResult {
  success: boolean;
  envelopes: Envelope[];
}

/** Report files of a run, relative to its run folder. */
export const REPORT_FILES = {
  html: 'cucumber-report.html',
  junit: 'cucumber-report.xml',
  messages: 'cucumber-messages.ndjson',
  json: 'cucumber-report.json',
} as const;

export async function runSuite(o: CucumberRunOptions): Promise<CucumberRunResult> {
  // cwd = the package root: cucumber.js and the paths in it are relative to it
  const environment = { cwd: o.root, env: o.env, stdout: process.stdout, stderr: process.stderr };
  const { runConfiguration } = await loadConfiguration(
    { file: 'cucumber.js', profiles: ['default'], provided: o.tags ? { tags: o.tags } : {} },
    environment,
  );
  // replace (not add to) the profile's formats: list options add up across profiles
  runConfiguration.formats = {
    ...runConfiguration.formats,
    stdout: o.stdoutFormat,
    files: {
      [join(o.runDir, REPORT_FILES.html)]: 'html',
      [join(o.runDir, REPORT_FILES.junit)]: 'junit',
      [join(o.runDir, REPORT_FILES.messages)]: 'message',
      [join(o.runDir, REPORT_FILES.json)]: 'json',
    },
    publish: false,
  };
  runConfiguration.runtime = { ...runConfiguration.runtime, parallel: o.parallel, worldParameters: o.worldParameters };
  const envelopes: Envelope[] = [];
  const result = await runCucumber(runConfiguration, environment, (m) => envelopes.push(m));
  return { success: result.success, envelopes };
}
