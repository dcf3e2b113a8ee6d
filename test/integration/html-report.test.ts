/**
 * The HTML reports as a user sees them, in headless Chromium (Debian's package, driven by
 * puppeteer-core): a passing run written by the npm scripts' formatter (cucumber.js) and a
 * failing run written by the CLI against a reference server that omits the group release
 * (DPE_VARIANT=no-group-release), both restricted to two scenarios. Each page opens on the
 * summary's verdict; the failing one unfolds its failures and marks the release that never came
 * on the device's lifeline. A screenshot per view goes to reports/screenshots/.
 *
 * Skipped with the reason when no Chromium is installed (apt-get install -y chromium), except
 * under CI=true, where that is a failure (.ci/run installs it).
 */
import type { TestContext } from 'node:test';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'puppeteer-core';
import type { Summary } from '../../src/report/summary';
import { headline } from '../../src/report/summary-render';

// the browser globals the page functions below use (the project compiles without the DOM library)
interface PageElement {
  textContent: string | null;
  parentElement: PageElement | null;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement> };
declare function getComputedStyle(e: unknown): { stroke: string };

const ROOT = resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'reports', 'screenshots');
const TAGS = '@req-dc.release-groups and @clause-8.2.2';
const RUN_TIMEOUT_MS = 120_000;
const run = promisify(execFile);

/** Skips the test when there is no Chromium, except under CI=true where that is a failure. */
function requireChromium(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') assert.fail(`no Chromium at ${CHROMIUM} under CI=true (.ci/run installs Debian's chromium with apt-get)`);
  t.skip(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return false;
}

/** The child's environment: this shell's DPE_* variables must not change what the runs test. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  for (const k of Object.keys(e)) if (k.startsWith('DPE_')) delete e[k];
  return { ...e, ...extra };
}

/** The passing run: cucumber-js with the project's profile, its reports in `dir` (report-formatter). */
async function passingRun(dir: string): Promise<void> {
  const config = join(dir, 'cucumber.js');
  writeFileSync(
    config,
    `const base = require(${JSON.stringify(join(ROOT, 'cucumber.js'))}).default;\n` +
      `module.exports = { default: { ...base, format: [['./src/report/report-formatter.cjs', ${JSON.stringify(join(dir, 'cucumber-report.html'))}], ` +
      `'message:${join(dir, 'cucumber-messages.ndjson')}'] } };\n`,
  );
  const cucumber = join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  // cucumber joins --config to its working directory
  await run(process.execPath, [cucumber, '--config', relative(ROOT, config), '--tags', TAGS], {
    cwd: ROOT,
    env: env({}),
    timeout: RUN_TIMEOUT_MS,
  });
}

/** The failing run: the CLI against a reference server without group releases (exit 1 expected). */
async function failingRun(reportsDir: string): Promise<number> {
  try {
    await run(
      process.execPath,
      [join(ROOT, 'bin', 'dpe-conformance.js'), 'run', '--tags', TAGS, '--reports-dir', reportsDir, '--run-id', 'failing'],
      {
        cwd: ROOT,
        env: env({ DPE_VARIANT: 'no-group-release' }),
        timeout: RUN_TIMEOUT_MS,
      },
    );
    return 0;
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  }
}

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;

describe('the HTML reports in headless Chromium', () => {
  let tmp = '';
  let browser: Browser | undefined;
  let failingExit = -1;
  const passing = () => join(tmp, 'passing');
  const failing = () => join(tmp, 'reports', 'failing');

  before(async () => {
    if (!existsSync(CHROMIUM)) return;
    tmp = mkdtempSync(join(tmpdir(), 'dpe-html-'));
    mkdirSync(passing());
    mkdirSync(SHOTS, { recursive: true });
    await passingRun(passing());
    failingExit = await failingRun(join(tmp, 'reports'));
    const puppeteer = (await import('puppeteer-core')).default;
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens a report page; nothing but the file itself and data: URLs may load. */
  async function open(file: string): Promise<Page> {
    const page = await browser!.newPage();
    await page.setViewport({ width: 1600, height: 1100 });
    await page.setRequestInterception(true);
    page.on('request', (r) => void (/^(file|data):/.test(r.url()) ? r.continue() : r.abort()));
    await page.goto(pathToFileURL(file).toString(), { waitUntil: 'load' });
    return page;
  }

  const bannerOf = (page: Page) =>
    page.$eval('#dpe-verdict', (b) => ({
      badge: b.querySelector('.dpe-badge')?.textContent ?? '',
      headline: b.querySelector('.dpe-headline')?.textContent ?? '',
      verdict: b.getAttribute('data-verdict'),
      top: b.getBoundingClientRect().top,
      links: [...b.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      counts: Object.fromEntries(
        [...b.querySelectorAll('table.dpe-counts tbody tr')].map((tr) => [
          tr.querySelector('th')?.textContent,
          [...tr.querySelectorAll('td')].map((td) => td.textContent),
        ]),
      ),
      columns: [...b.querySelectorAll('table.dpe-counts thead th')].map((th) => th.textContent).filter(Boolean),
    }));

  it("a passing run: both pages open on the verdict in the summary's words, with a link to summary.md", async (t) => {
    if (!requireChromium(t)) return;
    const s = summaryOf(passing());
    assert.equal(s.verdict, 'pass');
    assert.equal(s.totals.scenarios.pass, 2);
    for (const [file, shot] of [
      ['index.html', 'passing-index.png'],
      ['cucumber-report.html', 'passing-cucumber-report.png'],
    ] as const) {
      const page = await open(join(passing(), file));
      const b = await bannerOf(page);
      assert.equal(b.headline, headline(s), `${file}: the summary's headline`);
      assert.equal(b.headline, 'PASS (partial run \u2014 not a certification pass)');
      assert.equal(b.badge, 'PARTIAL');
      assert.equal(b.verdict, 'pass');
      assert.ok(b.top < 5, `${file}: the banner is the top of the page (at ${b.top}px)`);
      assert.deepEqual(
        b.columns,
        ['pass', 'fail', 'inconclusive', 'error', 'not applicable', 'not tested'],
        "the summary's verdict words, not applicable apart",
      );
      assert.deepEqual(b.counts.scenarios, ['2', '0', '0', '0', '0', '\u2013']);
      assert.ok(b.links.includes('summary.md') && existsSync(join(passing(), 'summary.md')), `${file}: links to summary.md, which exists`);
      assert.equal(await page.$$eval('g.missed', (g) => g.length), 0, 'nothing is missing in a passing run');
      await page.screenshot({ path: join(SHOTS, shot), fullPage: file === 'index.html' });
      await page.close();
    }
  });

  it("a failing run: failures unfolded with their chart, the missing release marked red on the device's lifeline, no harness stack", async (t) => {
    if (!requireChromium(t)) return;
    assert.equal(failingExit, 1, 'the CLI says not conformant');
    const s = summaryOf(failing());
    assert.equal(s.verdict, 'fail');
    assert.equal(s.referenceVariant, 'no-group-release');
    assert.match(s.command, /^DPE_VARIANT=no-group-release npx dpe-conformance run /);

    const page = await open(join(failing(), 'index.html'));
    const b = await bannerOf(page);
    assert.equal(b.headline, headline(s));
    assert.equal(b.headline, 'FAIL (partial run)');
    assert.equal(b.badge, 'FAIL');
    assert.deepEqual(b.counts.scenarios, ['0', '2', '0', '0', '0', '\u2013']);
    assert.ok(b.links.includes('summary.md'));
    await page.screenshot({ path: join(SHOTS, 'failing-index.png') });

    const failures = await page.$$eval('details.dpe-scenario[data-verdict="fail"]', (ds) =>
      ds.map((d) => ({
        open: (d as unknown as { open: boolean }).open,
        error: d.querySelector('pre.dpe-error')?.textContent ?? '',
        charts: d.querySelectorAll('.dpe-chart svg').length,
      })),
    );
    assert.equal(failures.length, 2);
    for (const f of failures) {
      assert.ok(f.open, 'a failure is unfolded');
      assert.equal(f.charts, 1, 'with its chart inline');
      // decided at the device change's first set where there is one (binding: both releases before any set), else at the deadline
      assert.match(
        f.error,
        /^ConformanceFailure: phone B received no DPE_Group_Release with "\*" (before DPE_Group_Set \(#\d+\), the first set of the device change|within 1500 ms),/,
      );
      assert.doesNotMatch(f.error, /src\/harness\/|\.ts:\d+/, 'no stack frames of the harness');
      assert.match(f.error, /\n {4}at .+ \(features\/[^)]+\.feature:\d+\)$/, 'one frame: the feature step it happened in');
    }

    const mark = await page.$(
      'details.dpe-scenario[data-verdict="fail"] g.missed[data-message-type="DPE_Group_Release"][data-to="phone B"]',
    );
    assert.ok(mark, 'a missing-message mark on phone B');
    const m = await mark.evaluate((g) => {
      const circle = g.querySelector('circle')!;
      const svg = g.ownerSVGElement!;
      // the lifeline of phone B: the dashed line under its box
      const box = [...svg.querySelectorAll('text')].find((x) => x.textContent === 'phone B' && x.getAttribute('font-weight') === 'bold')!;
      return {
        text: [...g.querySelectorAll('text')].map((x) => x.textContent).join(' | '),
        stroke: getComputedStyle(circle).stroke,
        cx: Number(circle.getAttribute('cx')),
        lifelineX: Number(box.getAttribute('x')),
        visible: circle.getBoundingClientRect().width > 0,
      };
    });
    assert.match(m.text, /expected DPE_Group_Release "\*" \| (before DPE_Group_Set #\d+|within 1500 ms), not received/);
    assert.equal(m.stroke, 'rgb(198, 40, 40)', 'drawn red');
    assert.equal(m.cx, m.lifelineX, "on phone B's lifeline");
    assert.ok(m.visible);
    await mark.evaluate((g) => g.scrollIntoView({ block: 'center' }));
    const chart = await page.$('details.dpe-scenario[data-verdict="fail"] .dpe-chart');
    await chart!.screenshot({ path: join(SHOTS, 'failing-chart.png') });
    await page.close();

    const cucumber = await open(join(failing(), 'cucumber-report.html'));
    const cb = await bannerOf(cucumber);
    assert.equal(cb.headline, 'FAIL (partial run)');
    assert.ok(cb.top < 5, "the banner is the top of cucumber's page");
    assert.ok(cb.links.includes('summary.md') && cb.links.includes('index.html'));
    // cucumber renders its page from script: wait until the charts of both failures are there,
    // every one unfolded (a scenario whose settled judgement failed too has a second one)
    await cucumber.waitForFunction(
      () => {
        const charts = [...document.querySelectorAll('#content details > summary')].filter((x) =>
          /^sequence chart \(fail\)/.test(x.textContent ?? ''),
        );
        return charts.length >= 2 && charts.every((x) => (x.parentElement as unknown as { open: boolean }).open);
      },
      { timeout: 10_000 },
    );
    const text = await cucumber.$eval('#content', (c) => (c as unknown as { innerText: string }).innerText);
    assert.match(text, /ConformanceFailure: phone B received no DPE_Group_Release with "\*" (before DPE_Group_Set|within 1500 ms)/);
    assert.doesNotMatch(text, /\bat .*src\/harness\//, "cucumber's page shows no harness stack frames either");
    await cucumber.screenshot({ path: join(SHOTS, 'failing-cucumber-report.png') });
    const unfolded = await cucumber.$('#content details[open][data-dpe-unfolded]');
    await unfolded!.evaluate((d) => d.scrollIntoView({ block: 'start' }));
    await cucumber.screenshot({ path: join(SHOTS, 'failing-cucumber-report-chart.png') });
    await cucumber.close();
  });
});
