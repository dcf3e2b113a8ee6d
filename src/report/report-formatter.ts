/**
 * The HTML formatter of the npm scripts (cucumber.js profiles): cucumber's own HTML report with
 * the run's verdict on top, and beside it what a CLI run writes once it has scored the run
 * (src/cli/run.ts): the certificate (summary.json, summary.md, requirements.junit.xml) and the
 * verdict-first run report, index.html. The run is scored here, after its last message, from
 * the messages this formatter saw: cucumber's other formatters may still be writing their files.
 *
 * Options (formatOptions.dpeReport): worldParameters, the profile's (the ICS policy). What the
 * run tested comes from the same variables the steps read (src/harness/suite-config.ts).
 */
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { resolveSuiteConfig } from '../harness/suite-config';
import { injectVerdict } from './cucumber-page';
import { writeRunReport } from './html-report';
import { REPORT_PAGES } from './report-pages';
import { reproduceLine, RUN_ENV } from './reproduce';
import { buildSummary } from './build-summary';
import { writeSummary } from './summary-render';
import { LATE_VERDICTS_FILE, lateVerdictsPath } from './verdict';

interface PluginContext {
  on: (key: 'message', handler: (m: Envelope) => void) => void;
  options: { worldParameters?: Record<string, unknown> };
  logger: { warn: (s: string) => void };
  write: (chunk: string) => void;
  directory?: string;
  stream?: unknown;
}

type Cleanup = () => Promise<void>;

interface HtmlPlugin {
  formatter: (ctx: PluginContext) => Cleanup | Promise<Cleanup>;
}

// cucumber's own html formatter, fed the same messages; its page is kept and added to
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cucumberHtml = (require('@cucumber/cucumber/lib/formatter/builtin/html') as { default: HtmlPlugin }).default;

/** The --tags of the command line, joined as cucumber joins several. */
export function tagsOf(argv: string[]): string | undefined {
  const tags: string[] = [];
  argv.forEach((a, i) => {
    if (a === '--tags' || a === '-t') tags.push(argv[i + 1] ?? '');
    else if (a.startsWith('--tags=')) tags.push(a.slice('--tags='.length));
  });
  const given = tags.filter(Boolean);
  return given.length ? given.map((t) => (given.length > 1 ? `(${t})` : t)).join(' and ') : undefined;
}

/** The variables of RUN_ENV that are set, DPE_VARIANT only where it has an effect (the built-in server). */
export function runEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of RUN_ENV) if (env[k]) out[k] = env[k]!;
  if (out.DPE_TARGET) delete out.DPE_VARIANT;
  return out;
}

export default {
  type: 'formatter' as const,
  optionsKey: 'dpeReport',
  documentation: "cucumber's HTML report with the verdict on top, plus summary.json, summary.md and index.html beside it",
  async formatter(ctx: PluginContext): Promise<Cleanup> {
    const dir = ctx.directory ?? process.cwd();
    // the run's last late verdicts land in this folder unless the caller chose a place (hooks.ts)
    const ownLateFile = lateVerdictsPath() === undefined ? join(dir, LATE_VERDICTS_FILE) : undefined;
    if (ownLateFile) {
      rmSync(ownLateFile, { force: true });
      process.env.DPE_LATE_VERDICTS_FILE = ownLateFile;
    }
    // the folder is reused run after run: a certificate that this run cannot replace must not stay
    for (const f of [REPORT_PAGES.index, REPORT_PAGES.summaryMd, REPORT_PAGES.summaryJson, REPORT_PAGES.requirementsJunit])
      rmSync(join(dir, f), { force: true });
    const lines: string[] = [];
    const page: string[] = [];
    const html = await cucumberHtml.formatter({ ...ctx, options: {}, write: (c: string) => void page.push(c) });
    ctx.on('message', (m) => void lines.push(JSON.stringify(m)));

    return async () => {
      await html();
      let text = page.join('');
      try {
        const config = resolveSuiteConfig(ctx.options.worldParameters ?? {});
        const env = runEnv(process.env);
        const variant = config.targetUrl ? undefined : config.variant;
        const messages = lines.join('\n');
        const summary = buildSummary({
          messages,
          messagesFile: join(dir, REPORT_PAGES.messages),
          lateVerdictsFile: lateVerdictsPath(),
          runId: basename(dir),
          runDir: dir,
          target: config.targetUrl ?? `built-in reference server${variant ? ` (variant ${variant})` : ''}`,
          referenceVariant: variant,
          ics: config.ics,
          ixit: config.ixit,
          icsFile: env.DPE_ICS,
          ixitFile: env.DPE_IXIT,
          tags: tagsOf(process.argv.slice(2)),
          command: reproduceLine(['npx', 'cucumber-js'], process.argv.slice(2), env),
        });
        writeSummary(dir, summary);
        text = injectVerdict(text, summary);
        writeRunReport(dir, summary, messages);
      } catch (e) {
        // the step-by-step page is still worth having: keep it, and say why there is no verdict on it
        ctx.logger.warn(`dpe-conformance: the run could not be scored for the HTML report: ${(e as Error).message}`);
      }
      ctx.write(text);
    };
  },
};
