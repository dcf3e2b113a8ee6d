/**
 * Recorded runs (test/unit/fixtures/runs/<name>/): the cucumber messages a real run of the
 * embedded suite wrote (its envelopes, with the sources, documents and pickles of the feature
 * files it did not run left out), the late verdicts of its end, and the inputs the report
 * formatter scored it with (run.json). Each is read, scored and rendered here as a run is, in a
 * package root made of the run's own feature texts, so that nothing on disk changes the result.
 *
 * The expected-*.json files beside them were written by this module from the reports of the
 * code before the reader moved onto @cucumber/query (issue 12); they hold what does not depend
 * on the requirement catalog (another requirement added must not change them): the reader's
 * view of every scenario, the scenario verdicts, the verdict and its reasons, and the parts of
 * summary.md, requirements.junit.xml and index.html about the requirements the run exercised.
 *
 *   node -r ts-node/register/transpile-only test/unit/support/run-fixtures.ts --write
 * rewrites them (after an intended change of reading, scoring or rendering: review the diff).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Ics } from '../../../src/config/ics';
import type { Ixit } from '../../../src/config/ixit';
import { renderRunReport } from '../../../src/report/run-report-page';
import { renderRequirementsJunit } from '../../../src/report/requirements-junit';
import { readRunDetails } from '../../../src/report/run-details';
import { buildSummary } from '../../../src/report/build-summary';
import { readRun } from '../../../src/report/run-reader';
import type { Summary } from '../../../src/report/summary';
import { renderSummaryMarkdown } from '../../../src/report/summary-render';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'runs');

interface RunInputs {
  runId: string;
  target: string;
  referenceVariant?: string;
  command: string;
  ics: Ics;
  ixit: Ixit;
}

export interface RunFixture {
  name: string;
  dir: string;
  messages: string;
  lateFile?: string;
  inputs: RunInputs;
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((n) => existsSync(join(FIXTURES, n, 'run.json')))
    .sort();
}

export function loadFixture(name: string): RunFixture {
  const dir = join(FIXTURES, name);
  const late = join(dir, 'late-verdicts.ndjson');
  return {
    name,
    dir,
    messages: readFileSync(join(dir, 'cucumber-messages.ndjson'), 'utf8'),
    lateFile: existsSync(late) ? late : undefined,
    inputs: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunInputs,
  };
}

/** A package root holding package.json and the feature texts of the run's own source messages. */
function rootOf(messages: string): string {
  const root = mkdtempSync(join(tmpdir(), 'dpe-run-fixture-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'dpe-conformance', version: '0.1.0' }));
  mkdirSync(join(root, 'features'));
  for (const line of messages.split('\n')) {
    if (!line.includes('"source"')) continue;
    const e = JSON.parse(line) as { source?: { uri: string; data: string } };
    if (!e.source) continue;
    mkdirSync(dirname(join(root, e.source.uri)), { recursive: true });
    writeFileSync(join(root, e.source.uri), e.source.data);
  }
  return root;
}

export interface Scored {
  summary: Summary;
  md: string;
  junit: string;
  html: string;
}

export function scoreFixture(fx: RunFixture): Scored {
  const root = rootOf(fx.messages);
  try {
    const i = fx.inputs;
    const summary = buildSummary({
      messages: fx.messages,
      messagesFile: join(fx.dir, 'cucumber-messages.ndjson'),
      lateVerdictsFile: fx.lateFile,
      runId: i.runId,
      target: i.target,
      referenceVariant: i.referenceVariant,
      ics: i.ics,
      ixit: i.ixit,
      command: i.command,
      root,
    });
    return {
      summary,
      md: renderSummaryMarkdown(summary),
      junit: renderRequirementsJunit(summary),
      html: renderRunReport(summary, readRunDetails(fx.messages)),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const digestOf = (s: string | undefined) =>
  s === undefined ? undefined : `sha256:${createHash('sha256').update(s).digest('hex')} (${s.length} characters)`;

/** What the reader makes of the run: every scenario's last attempt with the details the pages show. */
export function readView(fx: RunFixture): unknown {
  const run = readRun(fx.messages, fx.lateFile);
  const details = readRunDetails(fx.messages);
  return {
    started: run.started?.toISOString(),
    finished: run.finished?.toISOString(),
    success: run.success,
    runProblems: run.runProblems,
    unowned: run.unowned,
    cucumberVersion: run.cucumberVersion,
    nodeVersion: run.nodeVersion,
    sources: [...run.sources.keys()].sort(),
    scenarios: run.scenarios.map((s) => ({
      location: s.location,
      name: s.name,
      tags: s.tags,
      verdict: s.verdict,
      notApplicableText: s.notApplicableText,
      worstStatus: s.worstStatus,
      statusMessage: s.statusMessage,
      failures: s.failures,
    })),
    details: [...details.values()].map((d) => ({ ...d, chart: digestOf(d.chart) })),
  };
}

/** The lines of a Markdown section (its heading to the next one of the same level). */
function section(md: string, heading: string): string {
  const at = md.indexOf(`\n${heading}\n`);
  if (at < 0) return '';
  const next = md.indexOf('\n## ', at + heading.length + 2);
  return md.slice(at + 1, next < 0 ? undefined : next);
}

/** An HTML element by its opening tag, to its first closing tag. */
function element(html: string, open: string, close: string): string {
  const at = html.indexOf(open);
  return at < 0 ? '' : html.slice(at, html.indexOf(close, at) + close.length);
}

/** What scoring and rendering make of the run, apart from what the catalog alone decides. */
export function scoredView(x: Scored): unknown {
  const s = x.summary;
  const exercised = s.requirements.filter((r) => r.scenarios.length > 0);
  const ids = new Set(exercised.map((r) => r.id));
  const mdRequirementRows = x.md.split('\n').filter((l) => [...ids].some((id) => l.startsWith(`| ${id} |`)));
  const junitCases = x.junit.split('    <testcase ').filter((c) => [...ids].some((id) => c.includes(` name="${id}">`)));
  return {
    verdict: s.verdict,
    withWarnings: s.withWarnings,
    certified: s.certified,
    partial: s.partial,
    reasons: s.reasons,
    warnings: s.warnings,
    featureFiles: s.suite.featureFiles,
    featuresDigest: s.suite.featuresDigest,
    startedAt: s.startedAt,
    durationMs: s.durationMs,
    cucumber: s.versions.cucumber,
    selection: s.selection,
    scenarioTotals: s.totals.scenarios,
    scenarios: s.scenarios,
    requirements: exercised,
    deviations: s.deviations,
    md: {
      headline: x.md.split('\n')[0],
      verdict: section(x.md, '## Verdict'),
      requirementRows: mdRequirementRows,
      deviations: section(x.md, '## Known deviations'),
      missing: section(x.md, '## Selected but not executed'),
      scenarios: section(x.md, '## Scenarios'),
    },
    junitCases,
    html: {
      notPassed: element(x.html, '<section id="not-passed">', '</section>'),
      warnings: element(x.html, '<section id="warnings">', '</section>'),
    },
  };
}

export const expectedFile = (fx: RunFixture, what: 'read' | 'scored') => join(fx.dir, `expected-${what}.json`);

if (require.main === module && process.argv.includes('--write')) {
  for (const name of fixtureNames()) {
    const fx = loadFixture(name);
    writeFileSync(expectedFile(fx, 'read'), `${JSON.stringify(readView(fx), null, 2)}\n`);
    writeFileSync(expectedFile(fx, 'scored'), `${JSON.stringify(scoredView(scoreFixture(fx)), null, 2)}\n`);
    process.stdout.write(`wrote ${expectedFile(fx, 'read')} and ${expectedFile(fx, 'scored')}\n`);
  }
}
