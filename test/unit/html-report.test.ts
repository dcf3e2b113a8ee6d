/**
 * The HTML reports open on the run's verdict in the summary's own words: the banner (on
 * index.html and on top of cucumber's page), the run report's unfolded failures, and what the
 * summary records so that its Reproduce line reproduces (variant, harness version and commit).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceIcs } from '../../src/config/ics';
import { DEFAULT_IXIT } from '../../src/config/ixit';
import { injectVerdict } from '../../src/report/cucumber-page';
import { writeHtmlReports } from '../../src/report/html-report';
import { anchorOf, renderRunReport } from '../../src/report/run-report-page';
import { renderBanner, verdictKind, VERDICT_BADGE } from '../../src/report/verdict-banner';
import type { ScenarioDetails } from '../../src/report/run-details';
import { readRunDetails } from '../../src/report/run-details';
import { runEnv, tagsOf } from '../../src/report/report-formatter';
import { reproduceLine } from '../../src/report/reproduce';
import { renderSequenceChart } from '../../src/report/sequence-chart';
import type { Summary } from '../../src/report/summary';
import { headline, renderSummaryMarkdown } from '../../src/report/summary-render';

type Totals = Summary['totals'];

function summary(o: Partial<Summary> = {}): Summary {
  const totals: Totals = {
    scenarios: { pass: 91, fail: 0, inconclusive: 0, error: 0, 'not applicable': 15 },
    requirements: { pass: 60, fail: 0, inconclusive: 0, error: 0, 'not applicable': 4, 'not tested': 2 },
  };
  return {
    format: 'dpe-conformance-summary/1',
    runId: 'nightly-42',
    verdict: 'pass',
    withWarnings: false,
    certified: true,
    partial: false,
    reasons: ['91 scenarios executed; every applicable requirement of the CR text, CR tables and binding passed'],
    warnings: [],
    suite: { name: 'dpe-conformance', version: '0.1.0', digest: 'sha256:abc', featuresDigest: 'sha256:abc', featureFiles: 18 },
    target: 'http://127.0.0.1:7700',
    implementation: { name: 'ACME DPE', version: '2.1' },
    ics: { file: '/conf/ics.json', digest: 'sha256:ics', declared: referenceIcs('per-device') },
    ixit: { file: null, digest: 'sha256:ixit', declared: DEFAULT_IXIT },
    tags: null,
    timing: { ...DEFAULT_IXIT.timing, settleWindowUsedMs: 120, floors: { quietPeriodMs: 100, settleWindowMs: 100 } },
    startedAt: '2026-12-01T10:00:00.000Z',
    durationMs: 17_400,
    selection: { selected: 91, executed: 91, notApplicable: 15, missing: [], keys: [] },
    totals,
    requirements: [],
    scenarios: [],
    deviations: [],
    versions: { node: '20.20.2', suite: '0.1.0', cucumber: '12.9.0' },
    command: 'npx dpe-conformance run --target http://127.0.0.1:7700 --ics /conf/ics.json',
    referenceVariant: null,
    harness: { version: '0.1.0', commit: '1e666e5bc4f9' },
    shard: null,
    ...o,
  };
}

const FAILING = summary({
  verdict: 'fail',
  certified: false,
  reasons: [
    'dc.release-groups (CR text, SHALL, clause 8.2.2) failed: features/device-change/sim-moves.feature:24: phone B received no DPE_Group_Release <within> 1500 ms',
  ],
  totals: {
    scenarios: { pass: 89, fail: 2, inconclusive: 0, error: 0, 'not applicable': 15 },
    requirements: { pass: 57, fail: 3, inconclusive: 0, error: 0, 'not applicable': 4, 'not tested': 2 },
  },
  scenarios: [
    {
      location: 'features/device-change/sim-moves.feature:24',
      name: 'The new device is told to release all property groups',
      requirements: ['dc.release-groups'],
      verdict: 'fail',
      reason: 'step "Then phone B receives a group release for all groups": phone B received no DPE_Group_Release within 1500 ms',
      warnings: [],
    },
    {
      location: 'features/registration/first.feature:8',
      name: 'A first registration',
      requirements: ['reg.client-driven'],
      verdict: 'pass',
      reason: 'every check held',
      warnings: [],
    },
    {
      location: 'features/registration/first.feature:20',
      name: 'Per device only',
      requirements: ['policy.per-device.keeps-id'],
      verdict: 'not applicable',
      reason: 'the ICS declares per-user-and-device',
      warnings: [],
    },
  ],
  referenceVariant: 'no-group-release',
  target: 'built-in reference server (variant no-group-release)',
  command: 'DPE_VARIANT=no-group-release npx dpe-conformance run',
});

/** The text of the element with class `c` (first one), tags stripped. */
const textOf = (html: string, c: string) => {
  const m = new RegExp(`class="${c}"[^>]*>([\\s\\S]*?)</`).exec(html);
  return m?.[1]?.replace(/<[^>]+>/g, '');
};

describe('the verdict banner', () => {
  it("names the run's outcome with the summary's words: certified, pass with warnings, partial, or the verdict", () => {
    const cases: Array<[Partial<Summary>, string, string]> = [
      [{}, 'CERTIFIED', 'PASS \u2014 certification pass'],
      [{ withWarnings: true }, 'PASS WITH WARNINGS', 'PASS with warnings \u2014 certification pass with warnings'],
      [{ certified: false, partial: true }, 'PARTIAL', 'PASS (partial run \u2014 not a certification pass)'],
      [{ verdict: 'fail', certified: false }, 'FAIL', 'FAIL'],
      [{ verdict: 'fail', certified: false, partial: true }, 'FAIL', 'FAIL (partial run)'],
      [{ verdict: 'inconclusive', certified: false }, 'INCONCLUSIVE', 'INCONCLUSIVE'],
      [{ verdict: 'error', certified: false }, 'ERROR', 'ERROR'],
    ];
    for (const [o, badge, words] of cases) {
      const s = summary(o);
      const html = renderBanner(s);
      assert.equal(VERDICT_BADGE[verdictKind(s)], badge);
      assert.equal(textOf(html, 'dpe-badge'), badge);
      assert.equal(textOf(html, 'dpe-headline'), headline(s), "the headline is the summary's");
      assert.equal(headline(s), words);
      assert.match(html, new RegExp(`data-verdict="${s.verdict}"`));
    }
  });

  it("counts scenarios and requirements in the summary's verdict words, not applicable apart from skipped or passed", () => {
    const html = renderBanner(FAILING);
    const head = /<thead>[\s\S]*?<\/thead>/.exec(html)?.[0];
    assert.ok(head, 'a table head');
    assert.deepEqual(
      [...head.matchAll(/<th>([^<]+)<\/th>/g)].map(([, th]) => th),
      ['pass', 'fail', 'inconclusive', 'error', 'not applicable', 'not tested'],
    );
    assert.doesNotMatch(html, /skipped/i);
    const row = (what: string) => {
      const [, cells] = new RegExp(`<th scope="row">${what}</th>(.*?)</tr>`).exec(html) ?? [];
      assert.ok(cells !== undefined, `a row of ${what}`);
      return [...cells.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map(([, td]) => td);
    };
    assert.deepEqual(row('scenarios'), ['89', '2', '0', '0', '15', '\u2013'], 'a scenario is never "not tested"');
    assert.deepEqual(row('requirements'), ['57', '3', '0', '0', '4', '2']);
    assert.match(html, /<td class="dpe-n dpe-c-fail">2<\/td>/, 'failures stand out');
  });

  it('links to summary.md and says what was tested, by which harness', () => {
    const html = renderBanner(FAILING, { other: { href: 'cucumber-report.html', label: "cucumber's report" } });
    assert.match(html, /<a href="summary\.md">summary\.md<\/a>/);
    assert.match(html, /<a href="cucumber-report\.html">/);
    assert.match(html, /built-in reference server \(variant no-group-release\)/);
    assert.match(html, /reference variant <code>no-group-release<\/code>/);
    assert.match(html, /harness dpe-conformance 0\.1\.0, commit <code>1e666e5bc4f9<\/code>/);
    assert.match(renderBanner(summary({ harness: { version: '0.1.0', commit: null } })), /commit unknown/);
  });

  it('escapes what the target and the ICS put into it', () => {
    const html = renderBanner(summary({ implementation: { name: '<script>x</script>', version: '"1"' }, reasons: ['a <b> & c'] }));
    assert.doesNotMatch(html, /<script>x|a <b>/);
    assert.match(html, /&lt;script&gt;x&lt;\/script&gt; &quot;1&quot;/);
    assert.match(html, /a &lt;b&gt; &amp; c/);
  });

  it('shows the first reasons and points at summary.md for the rest', () => {
    const s = summary({ verdict: 'fail', certified: false, reasons: ['r1', 'r2', 'r3', 'r4', 'r5'] });
    const html = renderBanner(s);
    assert.equal((html.match(/<li>r\d<\/li>/g) ?? []).length, 3);
    assert.match(html, /and 2 more in <a href="summary\.md">/);
  });
});

const CUCUMBER_PAGE = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Cucumber</title>\n<style>\nbody{}\n</style>\n</head>\n<body>\n<div id="content">\n</div>\n<script>\nwindow.CUCUMBER_MESSAGES = [{"a":"<body> inside a message"}];\n</script>\n</body>\n</html>\n`;

describe("the banner on cucumber's report", () => {
  it("comes first in the body, before cucumber's content, and leaves the rest as it was", () => {
    const html = injectVerdict(CUCUMBER_PAGE, FAILING);
    const body = html.indexOf('<body>');
    const banner = html.indexOf('id="dpe-verdict"');
    assert.ok(body < banner && banner < html.indexOf('<div id="content">'));
    assert.equal(html.split('<body>').length, 3, 'the page keeps its own body and message text');
    assert.ok(html.includes('window.CUCUMBER_MESSAGES = [{"a":"<body> inside a message"}];'));
    assert.match(html, /<a href="index\.html">/, 'links to the run report');
    assert.match(html, /calls a scenario that does not apply to the ICS \u201cskipped\u201d/);
    // the script that unfolds the charts of scenarios that did not pass
    assert.ok(html.includes('/^sequence chart \\((fail|error|inconclusive)\\)/'));
  });

  it('is put there once, however often the page is scored', () => {
    const once = injectVerdict(CUCUMBER_PAGE, FAILING);
    const twice = injectVerdict(injectVerdict(CUCUMBER_PAGE, summary()), FAILING);
    assert.equal(twice, once);
    assert.equal(twice.split('id="dpe-verdict"').length, 2);
  });
});

describe('the run report (index.html)', () => {
  const chart = renderSequenceChart(
    [
      {
        seq: 1,
        at: 0,
        from: 'phone B',
        to: 'DPE Server',
        kind: 'request',
        messageType: 'DPE_Registration_Request',
        body: {},
        problems: [],
      },
    ],
    {
      missed: [{ at: 1509, since: 1, from: 'DPE Server', to: 'phone B', messageType: 'DPE_Group_Release', detail: '"*"', withinMs: 1500 }],
    },
  );
  const details = new Map<string, ScenarioDetails>([
    [
      'features/device-change/sim-moves.feature:24',
      {
        location: 'features/device-change/sim-moves.feature:24',
        failedStep: {
          keyword: 'Then',
          text: 'phone B receives a group release for all groups',
          error: 'ConformanceFailure: phone B received no DPE_Group_Release within 1500 ms',
          type: 'ConformanceFailure',
        },
        chart,
        judged: [
          {
            requirement: 'dc.release-groups',
            force: 'fails',
            message: 'phone B received no DPE_Group_Release within 1500 ms (requirement dc.release-groups)',
          },
        ],
      },
    ],
    ['features/registration/first.feature:8', { location: 'features/registration/first.feature:8', chart, judged: [] }],
  ]);

  it('opens on the banner, then every scenario that did not pass, unfolded with its failed step and chart inline', () => {
    const html = renderRunReport(FAILING, details);
    assert.ok(html.indexOf('id="dpe-verdict"') < html.indexOf('id="not-passed"'));
    assert.match(html, /<title>FAIL \u2014 DPE conformance run nightly-42<\/title>/);
    const failure = new RegExp(
      `<details open class="dpe-scenario dpe-s-fail" id="${anchorOf('features/device-change/sim-moves.feature:24')}"[\\s\\S]*?</details>`,
    ).exec(html)?.[0];
    assert.ok(failure, 'the failure is unfolded');
    assert.match(failure, /Failed step: <b>Then<\/b> phone B receives a group release for all groups/);
    assert.match(failure, /<pre class="dpe-error">ConformanceFailure: phone B received no DPE_Group_Release within 1500 ms<\/pre>/);
    assert.match(failure, /<div class="dpe-chart"><svg /, 'the chart inline');
    assert.match(failure, /<g class='missed' data-message-type='DPE_Group_Release' data-to='phone B'>/);
    assert.match(failure, /<code>dc\.release-groups<\/code>/);
  });

  it('folds what passed and lists what does not apply with its reason, never as a pass', () => {
    const html = renderRunReport(FAILING, details);
    assert.match(html, /<details class="dpe-scenario dpe-s-pass" id="s-features-registration-first-feature-8"/, 'a pass is folded');
    assert.match(html, /<img alt="sequence chart" loading="lazy" src="data:image\/svg\+xml;base64,/);
    assert.match(html, /<summary>not applicable to the ICS \(1\)<\/summary>/);
    assert.match(
      html,
      /<td>Per device only<\/td><td>features\/registration\/first\.feature:20<\/td><td>the ICS declares per-user-and-device<\/td>/,
    );
    assert.match(html, /<h2>Reproduce<\/h2><pre>DPE_VARIANT=no-group-release npx dpe-conformance run<\/pre>/);
  });

  it('lists what passed unfolded when nothing else is to be shown', () => {
    const [, passed] = FAILING.scenarios;
    assert.ok(passed);
    const s = summary({ scenarios: [passed] });
    assert.match(renderRunReport(s, new Map()), /<details class="dpe-group" open><summary>pass \(1\)<\/summary>/);
    assert.match(renderRunReport(s, new Map()), /Every executed scenario passed/);
  });

  it('shows a chart that is not plain SVG only as an image', () => {
    const bad = new Map([
      [
        'features/device-change/sim-moves.feature:24',
        { ...details.get('features/device-change/sim-moves.feature:24')!, chart: "<svg onload='alert(1)'></svg>" },
      ],
    ]);
    const html = renderRunReport(FAILING, bad);
    assert.doesNotMatch(html, /onload=/);
    assert.match(html, /<details open[\s\S]*?<img alt="sequence chart"/);
  });

  it('is written beside the summary, and the banner onto the cucumber report there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpe-html-report-'));
    writeFileSync(join(dir, 'cucumber-report.html'), CUCUMBER_PAGE);
    const out = writeHtmlReports(dir, FAILING);
    assert.equal(out.index, join(dir, 'index.html'));
    assert.match(readFileSync(out.index, 'utf8'), /FAIL/);
    assert.match(readFileSync(join(dir, 'cucumber-report.html'), 'utf8'), /id="dpe-verdict"[\s\S]*<div id="content">/);
  });
});

describe('readRunDetails', () => {
  it('finds the failed step, its error, the last chart and the verdict record of each scenario', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const at = (seconds: number) => ({ seconds: 1000 + seconds, nanos: 0 });
    const lines = [
      {
        gherkinDocument: {
          uri: 'features/a.feature',
          feature: { children: [{ scenario: { id: 'sc1', location: { line: 7 }, steps: [], examples: [] } }] },
        },
      },
      {
        pickle: {
          id: 'p1',
          uri: 'features/a.feature',
          name: 'one',
          astNodeIds: ['sc1'],
          tags: [],
          steps: [{ id: 'ps1', text: 'phone B receives a release', type: 'Outcome' }],
        },
      },
      {
        testCase: {
          id: 'tc1',
          pickleId: 'p1',
          testSteps: [
            { id: 'ts0', hookId: 'h0' },
            { id: 'ts1', pickleStepId: 'ps1' },
            { id: 'ts2', hookId: 'h1' },
          ],
        },
      },
      { testCaseStarted: { id: 'st1', testCaseId: 'tc1', timestamp: at(0) } },
      // as in cucumber, every attachment names the step or hook it was made in
      {
        attachment: {
          testCaseStartedId: 'st1',
          testStepId: 'ts0',
          mediaType: 'image/svg+xml',
          body: b64('<svg>first</svg>'),
          contentEncoding: 'BASE64',
        },
      },
      { testStepFinished: { testCaseStartedId: 'st1', testStepId: 'ts0', testStepResult: { status: 'PASSED' }, timestamp: at(1) } },
      {
        testStepFinished: {
          testCaseStartedId: 'st1',
          testStepId: 'ts1',
          testStepResult: {
            status: 'FAILED',
            message: 'x',
            exception: { type: 'ConformanceFailure', message: 'm', stackTrace: 'ConformanceFailure: m' },
          },
          timestamp: at(2),
        },
      },
      {
        attachment: {
          testCaseStartedId: 'st1',
          testStepId: 'ts2',
          mediaType: 'image/svg+xml',
          body: b64('<svg>last</svg>'),
          contentEncoding: 'BASE64',
        },
      },
      {
        attachment: {
          testCaseStartedId: 'st1',
          testStepId: 'ts2',
          mediaType: 'text/plain',
          body: '  #1 +0ms phone B -> DPE Server: x',
          contentEncoding: 'IDENTITY',
        },
      },
      {
        attachment: {
          testCaseStartedId: 'st1',
          testStepId: 'ts2',
          mediaType: 'application/vnd.dpe.verdict+json',
          body: JSON.stringify({
            verdict: 'fail',
            reason: 'r',
            requirements: [],
            judged: [{ requirement: 'dc.release-groups', force: 'fails', message: 'm' }],
          }),
          contentEncoding: 'IDENTITY',
        },
      },
      { testStepFinished: { testCaseStartedId: 'st1', testStepId: 'ts2', testStepResult: { status: 'PASSED' }, timestamp: at(3) } },
      { testCaseFinished: { testCaseStartedId: 'st1', willBeRetried: false, timestamp: at(4) } },
    ];
    const d = readRunDetails(lines.map((l) => JSON.stringify(l)).join('\n')).get('features/a.feature:7');
    assert.ok(d);
    assert.deepEqual(d.failedStep, {
      keyword: 'Then',
      text: 'phone B receives a release',
      error: 'ConformanceFailure: m',
      type: 'ConformanceFailure',
    });
    assert.equal(d.chart, '<svg>last</svg>');
    assert.equal(d.messageLog, '  #1 +0ms phone B -> DPE Server: x');
    assert.deepEqual(
      d.judged.map((j) => j.requirement),
      ['dc.release-groups'],
    );
  });
});

describe('what the summary records to reproduce a run', () => {
  it('the Reproduce line names the variables that change what is tested, quoted for the shell', () => {
    assert.equal(
      reproduceLine(['npx', 'dpe-conformance'], ['run', '--tags', '@a and not @b'], { DPE_VARIANT: 'no-group-release' }),
      "DPE_VARIANT=no-group-release npx dpe-conformance run --tags '@a and not @b'",
    );
    assert.equal(
      reproduceLine(['npx', 'cucumber-js'], [], { DPE_VARIANT: undefined, DPE_ICS: '' }),
      'npx cucumber-js',
      'unset and empty variables are left out',
    );
    assert.equal(reproduceLine(['x'], ["it's"], { DPE_IXIT: 'my file.json' }), "DPE_IXIT='my file.json' x 'it'\\''s'");
  });

  it('the npm scripts take the variables and the --tags of their command line', () => {
    assert.deepEqual(runEnv({ DPE_VARIANT: 'v', DPE_POLICY: 'per-device', HOME: '/root' }), { DPE_VARIANT: 'v', DPE_POLICY: 'per-device' });
    assert.deepEqual(
      runEnv({ DPE_VARIANT: 'v', DPE_TARGET: 'http://127.0.0.1:7700' }),
      { DPE_TARGET: 'http://127.0.0.1:7700' },
      'a variant of the built-in server does not apply to a target',
    );
    assert.equal(tagsOf(['-p', 'per-device', '--tags', '@clause-8.2.2']), '@clause-8.2.2');
    assert.equal(tagsOf(['--tags=@a', '-t', '@b or @c']), '(@a) and (@b or @c)');
    assert.equal(tagsOf(['-p', 'per-device']), undefined);
  });

  it('summary.md names the reference variant, the harness commit and the command with its variable', () => {
    const md = renderSummaryMarkdown(FAILING);
    assert.match(md, /\| Reference variant \| `no-group-release` /);
    assert.match(md, /\| Harness \| dpe-conformance 0\.1\.0, commit `1e666e5bc4f9` \|/);
    assert.match(md, /## Reproduce\n\n```sh\nDPE_VARIANT=no-group-release npx dpe-conformance run\n```/);
    assert.doesNotMatch(renderSummaryMarkdown(summary()), /Reference variant/);
    assert.match(
      renderSummaryMarkdown(summary({ harness: { version: '0.1.0', commit: null } })),
      /\| Harness \| dpe-conformance 0\.1\.0, commit unknown \|/,
    );
  });
});
