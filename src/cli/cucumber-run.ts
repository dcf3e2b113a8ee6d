/**
 * Runs the suite programmatically with a configuration of its own (not the repository's
 * cucumber.js, which is for development): the package's features, its step code (compiled in
 * an installed package, TypeScript in a checkout) and every report of one run in its own
 * reports/<run-id>/ folder.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { JUNIT_SUITE_NAME } from '../report/cucumber-formats';
import { REPORT_PAGES } from '../report/report-pages';
import { COMPILED, suiteCode } from './package-info';

export interface CucumberRunOptions {
  /** Package root: where features/ and the step code are. */
  root: string;
  runDir: string;
  tags?: string;
  parallel: number;
  env: NodeJS.ProcessEnv;
  /** Feature paths with lines (a shard: src/cli/shard.ts); absent = every feature file. */
  paths?: string[];
}

export interface CucumberRunResult {
  success: boolean;
  envelopes: Envelope[];
}

/** The terminal formatter, by path: cucumber loads custom formatters as modules (quiet-progress.cjs: see there). */
const STDOUT_FORMAT = join(__dirname, COMPILED ? 'quiet-progress.js' : 'quiet-progress.cjs');
/** The mock-network router of a run with a fixed mockPort (router-plugin.ts), loaded by cucumber with import(). */
export const ROUTER_PLUGIN = pathToFileURL(join(__dirname, COMPILED ? 'router-plugin.js' : 'router-plugin.cjs')).href;

export async function runSuite(o: CucumberRunOptions): Promise<CucumberRunResult> {
  const code = suiteCode();
  // cwd = the package root: the feature uris of the reports are relative to it
  const environment = { cwd: o.root, env: o.env, stdout: process.stdout, stderr: process.stderr };
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: o.paths ?? [code.features],
        require: code.require,
        requireModule: code.requireModule,
        formatOptions: { junit: { suiteName: JUNIT_SUITE_NAME } },
        strict: true,
        plugin: [ROUTER_PLUGIN],
        pluginOptions: { dpe: { parallel: o.parallel } },
        ...(o.tags ? { tags: o.tags } : {}),
      },
    },
    environment,
  );
  runConfiguration.formats = {
    ...runConfiguration.formats,
    stdout: STDOUT_FORMAT,
    files: {
      [join(o.runDir, REPORT_PAGES.cucumber)]: 'html',
      [join(o.runDir, REPORT_PAGES.cucumberJunit)]: 'junit',
      [join(o.runDir, REPORT_PAGES.messages)]: 'message',
      [join(o.runDir, REPORT_PAGES.cucumberJson)]: 'json',
    },
    publish: false,
  };
  runConfiguration.runtime = { ...runConfiguration.runtime, parallel: o.parallel, worldParameters: {} };
  const envelopes: Envelope[] = [];
  const result = await runCucumber(runConfiguration, environment, (m) => envelopes.push(m));
  return { success: result.success, envelopes };
}
