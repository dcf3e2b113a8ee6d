/**
 * cucumber's own HTML and JUnit reports, written again from a run's messages: a merged run
 * (dpe-conformance merge) has the shards' messages but no formatter that saw them. The formatters
 * are cucumber's own, from the copy cucumber-js resolves (the versions it ships with), fed the
 * envelopes as a run would feed them. cucumber's legacy JSON report is not among them: it is
 * built from cucumber's in-run event collector, and the merged cucumber-messages.ndjson holds
 * everything it held.
 */
import { dirname } from 'node:path';
import type { Envelope } from '@cucumber/messages';

interface FormatterContext {
  on: (key: 'message', handler: (m: Envelope) => void) => void;
  options: Record<string, unknown>;
  write: (chunk: string) => void;
  logger: { warn: (s: string) => void };
}

/** A plugin formatter of cucumber-js (its `formatter` may return a cleanup that ends its output). */
interface FormatterPlugin {
  formatter: (ctx: FormatterContext) => void | (() => Promise<void>) | Promise<void | (() => Promise<void>)>;
}

/** The name of the test suite in cucumber's JUnit report, a run's (src/cli/cucumber-run.ts) and a merged one's alike. */
export const JUNIT_SUITE_NAME = 'dpe-conformance';

const CUCUMBER_DIR = dirname(require.resolve('@cucumber/cucumber/package.json'));

/** A module as cucumber-js itself resolves it (a formatter it names by package). */
function cucumberDependency<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require(require.resolve(id, { paths: [CUCUMBER_DIR] })) as { default?: T } & T;
  return m.default ?? m;
}

/** The output of `plugin` fed `envelopes`, in order. */
export async function formatEnvelopes(
  plugin: FormatterPlugin,
  envelopes: readonly Envelope[],
  options: Record<string, unknown> = {},
): Promise<string> {
  const handlers: Array<(m: Envelope) => void> = [];
  const out: string[] = [];
  const cleanup = await plugin.formatter({
    on: (_key, handler) => void handlers.push(handler),
    options,
    write: (chunk) => void out.push(chunk),
    logger: { warn: (s) => process.stderr.write(`${s}\n`) },
  });
  for (const e of envelopes) for (const h of handlers) h(e);
  if (typeof cleanup === 'function') await cleanup();
  return out.join('');
}

/**
 * The messages of several runs (the shards) as one run's: cucumber's formatters report a run at
 * its testRunFinished, so each shard's would write the report again. One meta and one
 * testRunStarted (the earliest) open it and one testRunFinished (the latest, successful when every
 * shard was) ends it; everything else is kept as it is: each shard's ids are its own.
 */
export function asOneRun(envelopes: readonly Envelope[]): Envelope[] {
  const started = envelopes.filter((e) => e.testRunStarted);
  const finished = envelopes.filter((e) => e.testRunFinished);
  if (started.length <= 1 && finished.length <= 1) return [...envelopes];
  const millis = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;
  const first = started.reduce((a, b) => (millis(b.testRunStarted!.timestamp) < millis(a.testRunStarted!.timestamp) ? b : a));
  const last = finished.reduce((a, b) => (millis(b.testRunFinished!.timestamp) > millis(a.testRunFinished!.timestamp) ? b : a));
  const end: Envelope = { testRunFinished: { ...last.testRunFinished!, success: finished.every((e) => e.testRunFinished!.success) } };
  let meta = false;
  const out: Envelope[] = [];
  for (const e of envelopes) {
    if (e.meta) {
      if (!meta) out.push(e);
      meta = true;
    } else if (e.testRunStarted) {
      if (e === first) out.push(e);
    } else if (!e.testRunFinished) out.push(e);
  }
  out.push(end);
  return out;
}

/** cucumber's HTML report of the messages. */
export function cucumberHtml(envelopes: readonly Envelope[]): Promise<string> {
  return formatEnvelopes(cucumberDependency<FormatterPlugin>('@cucumber/cucumber/lib/formatter/builtin/html'), asOneRun(envelopes));
}

/** cucumber's JUnit report of the messages. */
export function cucumberJunit(envelopes: readonly Envelope[]): Promise<string> {
  return formatEnvelopes(cucumberDependency<FormatterPlugin>('@cucumber/junit-xml-formatter'), asOneRun(envelopes), {
    suiteName: JUNIT_SUITE_NAME,
  });
}
