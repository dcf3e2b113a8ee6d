/**
 * The documentation site (scripts/site/, written by `npm run docs`): a page per clause with the
 * rule, the requirements (source, force, status, review), the scenarios as Gherkin, the errata
 * and the verdicts of the last run read from a summary.json; everything escaped; a site that
 * builds with no run at all; a folder that is not the site's is never cleared.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Site } from '../../scripts/site/site';
import { buildSite, SITE_MARKER, writeSite } from '../../scripts/site/site';
import { clausePage, requirementAnchor, scenarioAnchor } from '../../scripts/site/html';
import type { RunSummary } from '../../scripts/site/last-run';
import { findRuns } from '../../scripts/site/last-run';
import { parseDocsArgs } from '../../scripts/gen-docs';
import { REQUIREMENTS } from '../../src/requirements/catalog';
import { CLAUSE_ORDER, clausesNamedIn } from '../../src/requirements/clauses';
import { loadScenarios } from '../../src/requirements/features';
import type { Erratum } from '../../src/requirements/errata';
import type { Requirement } from '../../src/requirements/types';

const ROOT = resolve(__dirname, '../..');

const FEATURE = `@clause-8.2.2
Feature: Fixture <script>alert("feature")</script>
  A description with \`Group_ID\` and <b>markup</b> & more.

  Background:
    Given phone A is registered with Alice's SIM

  Rule: The new device is reset & "cleaned"

    # A comment <i>with markup</i>
    @req-dc.release-groups
    Scenario: Groups are released <script>x</script>
      When Alice's SIM moves from phone A to phone B
      Then phone B receives a group release for all groups

    @req-dc.derived-thing
    Scenario Outline: A derived thing (<policy>)
      When phone A registers
      Then the DPE_Group_Release phone A receives carries:
        | IE       | value |
        | Group_ID | *     |

      Examples: one policy
        | policy     |
        | per-device |
`;
const SCENARIO_LINE = 12;
const ROW_LINE = 25;

const REQS: Requirement[] = [
  {
    id: 'dc.release-groups',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.2 second action bullet' },
    text: 'The client is told to release <all> groups & "policies".',
    status: { kind: 'mandatory' },
    review: 'reviewed',
    reviewedBy: 'A. Editor <editor@example.org>',
    reviewedOn: '2026-11-20',
  },
  {
    id: 'dc.derived-thing',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'derived', where: '8.2.2 note on "relevant"' },
    reasoning: 'The harness reads it out of the note <because> it must.',
    text: 'Something the harness derives.',
    status: { kind: 'conditional', when: { ics: 'restoredSettings', is: 'all-defined' } },
    review: 'proposed',
  },
  {
    id: 'msg.group-release.ies',
    clause: '6.2.3.3',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.2.3.3 table' },
    text: 'Every mandatory IE is there.',
    status: { kind: 'mandatory' },
    review: 'proposed',
  },
];

const ERRATA: Erratum[] = [
  {
    id: 'E01',
    title: 'Group_ID <versus> Group-ID',
    where: '6.2.3.3 row Group_ID; 8.2.2, second action bullet',
    problem: 'Two spellings & one IE.',
    reading: 'The table wins.',
    governs: 'none',
  },
  { id: 'E02', title: 'Only about 6.2.6.1', where: '6.2.6.1 signature', problem: 'p', reading: 'r', governs: 'none' },
];

function summary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    format: 'dpe-conformance-summary/1',
    runId: 'run-1',
    verdict: 'fail',
    withWarnings: false,
    certified: false,
    partial: false,
    reasons: ['dc.release-groups failed: <no release>'],
    target: 'http://127.0.0.1:7700',
    implementation: { name: 'Fixture DPE', version: '1.0' },
    startedAt: '2026-11-30T10:00:00.000Z',
    durationMs: 12_000,
    selection: { selected: 2, executed: 2, notApplicable: 0, missing: [], keys: [] },
    totals: {
      scenarios: { pass: 1, fail: 1, inconclusive: 0, error: 0, 'not applicable': 0 },
      requirements: { pass: 1, fail: 1, inconclusive: 0, error: 0, 'not applicable': 0, 'not tested': 1 },
    },
    requirements: [
      {
        id: 'dc.release-groups',
        clause: '8.2.2',
        level: 'SHALL',
        source: REQS[0]!.source,
        force: 'fails',
        verdict: 'fail',
        scenarios: [`features/fixture.feature:${SCENARIO_LINE}`],
        knownDeviation: false,
        reason: 'phone B received no DPE_Group_Release <within 1500 ms>',
      },
      {
        id: 'dc.derived-thing',
        clause: '8.2.2',
        level: 'SHALL',
        source: REQS[1]!.source,
        force: 'warns',
        verdict: 'pass',
        scenarios: [`features/fixture.feature:${ROW_LINE}`],
        knownDeviation: false,
      },
    ],
    scenarios: [
      {
        location: `features/fixture.feature:${SCENARIO_LINE}`,
        name: 'Groups are released <script>x</script>',
        requirements: ['dc.release-groups'],
        verdict: 'fail',
        reason: 'phone B received no DPE_Group_Release <within 1500 ms>',
        warnings: [],
      },
      {
        location: `features/fixture.feature:${ROW_LINE}`,
        name: 'A derived thing (per-device)',
        requirements: ['dc.derived-thing'],
        verdict: 'pass',
        reason: '',
        warnings: [],
      },
    ],
    suite: {
      name: 'dpe-conformance',
      version: '0.1.0',
      digest: 'sha256:not-the-current-one',
      featuresDigest: 'sha256:not-the-current-one',
      featureFiles: 1,
    },
    command: 'npx dpe-conformance run --target http://127.0.0.1:7700',
    tags: null,
    ics: { declared: { clientIdPolicy: 'per-device' } },
    ...over,
  };
}

/** A repository-like folder: features/, reports/<run>/summary.json files. */
function fixtureRoot(runs: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'dpe-site-'));
  mkdirSync(join(root, 'features'), { recursive: true });
  writeFileSync(join(root, 'features', 'fixture.feature'), FEATURE);
  for (const [folder, content] of Object.entries(runs)) {
    mkdirSync(join(root, 'reports', folder), { recursive: true });
    writeFileSync(join(root, 'reports', folder, 'summary.json'), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

function build(root: string): Site {
  return buildSite({ root, requirements: REQS, errata: ERRATA });
}

/** The HTML of the element with the given id, up to its matching closing tag. */
function element(html: string, tag: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  assert.ok(at >= 0, `no element with id ${id}`);
  const start = html.lastIndexOf(`<${tag}`, at);
  const re = new RegExp(`<${tag}[\\s>]|</${tag}>`, 'g');
  re.lastIndex = start;
  let depth = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  assert.fail(`<${tag} id="${id}"> is not closed`);
}

describe('documentation site, from the real catalog and features', () => {
  let site: Site;
  let empty: string;
  before(() => {
    empty = mkdtempSync(join(tmpdir(), 'dpe-site-reports-'));
    site = buildSite({ root: ROOT, reportsDir: empty });
  });
  after(() => rmSync(empty, { recursive: true, force: true }));

  it('has an index, an errata page, a stylesheet and a page per clause', () => {
    for (const f of ['index.html', 'errata.html', 'style.css', ...CLAUSE_ORDER.map(clausePage)]) assert.ok(site.files[f], `missing ${f}`);
    for (const c of CLAUSE_ORDER) assert.ok(site.files['index.html']!.includes(`href="${clausePage(c)}"`), `index does not link ${c}`);
  });

  it('builds without a run and says so', () => {
    assert.equal(site.lastRun, undefined);
    assert.match(site.files['index.html']!, /No run yet/);
    assert.match(site.files[clausePage('8.2.2')]!, /no run yet/);
  });

  it('shows every requirement on the page of its clause, and every scenario on some page', () => {
    for (const r of REQUIREMENTS) assert.ok(site.files[clausePage(r.clause)]!.includes(`id="${requirementAnchor(r.id)}"`), r.id);
    const pages = CLAUSE_ORDER.map((c) => site.files[clausePage(c)]!).join('\n');
    const scenarios = loadScenarios(undefined, ROOT);
    assert.ok(scenarios.length > 50);
    for (const s of scenarios) {
      assert.ok(pages.includes(`id="${scenarioAnchor(s.location)}"`), `${s.location} ${s.name}`);
    }
  });

  it("gives each clause its rule in the project's words and the messages it tables", () => {
    assert.match(site.files[clausePage('8.2.2')]!, /<h2 id="rule">The rule<\/h2>\n<div class="rule-text">A registration in which/);
    assert.match(site.files[clausePage('6.2.3.3')]!, /<h2 id="messages">Messages<\/h2>[\s\S]*<code>Group_ID<\/code>/);
  });
});

describe('documentation site, from fixtures', () => {
  const roots: string[] = [];
  const root = (runs: Record<string, unknown>) => {
    const r = fixtureRoot(runs);
    roots.push(r);
    return r;
  };
  after(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it("shows a requirement's source, force, applicability and review status", () => {
    const page = build(root({})).files[clausePage('8.2.2')]!;
    const card = element(page, 'article', requirementAnchor('dc.release-groups'));
    assert.match(card, /CR text<\/span>/);
    assert.match(card, /8\.2\.2 second action bullet/);
    assert.match(card, /fails the run/);
    assert.match(card, /<dt>Applies<\/dt><dd>mandatory<\/dd>/);
    assert.match(card, /<dt>Review<\/dt><dd>reviewed by A\. Editor &lt;editor@example\.org&gt; on 2026-11-20<\/dd>/);
    const derived = element(page, 'article', requirementAnchor('dc.derived-thing'));
    assert.match(derived, /b-derived/);
    assert.match(derived, /warns/);
    assert.match(derived, /b-proposed/);
    assert.match(derived, /How the harness derives it/);
    assert.match(derived, /conditional — mandatory when ICS <code>restoredSettings<\/code> = <code>all-defined<\/code>/);
  });

  it('shows the scenarios as Gherkin: Feature, Background, Rule, Scenario, Outline with Examples, tags, tables', () => {
    const page = build(root({})).files[clausePage('8.2.2')]!;
    for (const kw of ['Feature', 'Background', 'Rule', 'Scenario', 'Scenario Outline', 'Examples'])
      assert.ok(page.includes(`<span class="kw">${kw}:</span>`), kw);
    assert.ok(page.includes('<span class="kw">Given</span> phone A is registered with Alice&#39;s SIM'));
    assert.ok(page.includes('<span class="kw">When</span> Alice&#39;s SIM moves from phone A to phone B'));
    assert.ok(page.includes(`<a href="${clausePage('8.2.2')}#${requirementAnchor('dc.release-groups')}">@req-dc.release-groups</a>`));
    assert.ok(page.includes('<td>Group_ID</td><td>*</td>'), 'data table');
    assert.ok(page.includes('<th>policy</th>') && page.includes('<td>per-device</td>'), 'Examples table');
    assert.ok(page.includes('<div class="comment"># A comment &lt;i&gt;with markup&lt;/i&gt;</div>'), 'comment');
    assert.ok(page.includes(`id="${scenarioAnchor(`features/fixture.feature:${SCENARIO_LINE}`)}"`));
  });

  it('escapes everything that comes from the catalog, the features and the run', () => {
    const site = build(root({ 'run-1': summary() }));
    for (const [name, content] of Object.entries(site.files)) {
      assert.ok(
        !/<script|<b>markup|<i>with|<all>|<no release>|<within|<editor@|<versus>|<because>/.test(content),
        `unescaped markup in ${name}`,
      );
    }
    const page = site.files[clausePage('8.2.2')]!;
    assert.ok(page.includes('Fixture &lt;script&gt;alert(&quot;feature&quot;)&lt;/script&gt;'));
    assert.ok(page.includes('release &lt;all&gt; groups &amp; &quot;policies&quot;'));
    assert.ok(
      page.includes('with <code>Group_ID</code> and &lt;b&gt;markup&lt;/b&gt; &amp; more.'),
      'backticks become code, markup stays text',
    );
    assert.ok(page.includes('The new device is reset &amp; &quot;cleaned&quot;'));
  });

  it('shows the verdicts of the last run from its summary.json', () => {
    const site = build(root({ 'run-1': summary() }));
    assert.equal(site.lastRun?.folder, 'run-1');
    const page = site.files[clausePage('8.2.2')]!;
    const scenario = element(page, 'div', scenarioAnchor(`features/fixture.feature:${SCENARIO_LINE}`));
    assert.match(scenario, /b-fail[^>]*>last run: fail</);
    assert.match(scenario, /phone B received no DPE_Group_Release &lt;within 1500 ms&gt;/);
    assert.match(element(page, 'article', requirementAnchor('dc.release-groups')), /last run: fail/);
    assert.match(
      element(page, 'tr', scenarioAnchor(`features/fixture.feature:${ROW_LINE}`)),
      /<td>per-device<\/td><td><span class="badge b-pass"[^>]*>last run: pass</,
    );
    const index = site.files['index.html']!;
    assert.match(index, /Last run:<\/strong> <code>run-1<\/code> <span class="badge b-fail">fail<\/span>/);
    assert.match(index, /http:\/\/127\.0\.0\.1:7700/);
    assert.match(index, /per-device/);
    assert.match(index, /The feature files changed since this run/);
    // A requirement of the catalog the run does not list.
    assert.match(site.files[clausePage('6.2.3.3')]!, /not in the last run/);
  });

  it('takes the newest run, lists the others, and skips a summary.json that is not one', () => {
    const r = root({
      'run-0': summary({ runId: 'run-0', verdict: 'pass', certified: true, startedAt: '2026-11-29T10:00:00.000Z', reasons: [] }),
      'run-1': summary(),
      broken: '{"format": "something-else/9", "verdict": 1}',
      garbage: 'not json at all',
    });
    const site = build(r);
    assert.equal(site.lastRun?.folder, 'run-1');
    assert.equal(site.skipped.length, 2, site.skipped.join('\n'));
    assert.ok(site.skipped.some((s) => s.includes('broken') && s.includes('format')));
    assert.ok(site.skipped.some((s) => s.includes('garbage') && s.includes('not JSON')));
    const index = site.files['index.html']!;
    assert.match(index, /Runs found/);
    assert.match(index, /<code>run-0<\/code>[\s\S]*certified/);
    assert.match(index, /Not usable: .*broken/);
    assert.deepEqual(
      findRuns(join(r, 'reports')).runs.map((x) => x.folder),
      ['run-1', 'run-0'],
    );
  });

  it('lists the errata that touch a clause, and only those', () => {
    const site = build(root({}));
    const page = site.files[clausePage('8.2.2')]!;
    assert.match(page, /id="erratum-e01"[\s\S]*Group_ID &lt;versus&gt; Group-ID/);
    assert.ok(!page.includes('id="erratum-e02"'), 'E02 is about 6.2.6.1 only');
    assert.match(site.files['errata.html']!, /id="erratum-e02"/);
  });

  it('writes into its own folder, clears its old pages, and refuses a folder that is not its own', () => {
    const r = root({});
    const site = build(r);
    const out = join(r, 'reports', 'site');
    writeSite(out, site);
    assert.ok(existsSync(join(out, 'index.html')) && existsSync(join(out, SITE_MARKER)));
    writeFileSync(join(out, 'clause-9.9.html'), 'stale');
    writeSite(out, site);
    assert.ok(!existsSync(join(out, 'clause-9.9.html')), 'a stale page survived a rebuild');
    const foreign = join(r, 'docs-of-someone');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    assert.throws(() => writeSite(foreign, site), /not empty and was not written by npm run docs/);
    assert.equal(readFileSync(join(foreign, 'notes.txt'), 'utf8'), 'keep me');
  });
});

describe('npm run docs arguments and clause references', () => {
  it('names each usage mistake', () => {
    assert.match(String(parseDocsArgs(['--site-dir'])), /--site-dir needs a folder/);
    assert.match(String(parseDocsArgs(['--reports-dir', '--check'])), /--reports-dir needs a folder/);
    assert.match(String(parseDocsArgs(['--chek'])), /unknown argument "--chek"/);
    assert.deepEqual(parseDocsArgs(['--check', '--site-dir', 'x', '--reports-dir', 'y']), { check: true, siteDir: 'x', reportsDir: 'y' });
  });

  it('finds the clauses a piece of CR text names, sub-clauses included, tails of longer numbers not', () => {
    assert.deepEqual(clausesNamedIn('6.2.3.3, table of DPE_Group_Release; 8.2.2, second action bullet'), ['6.2.3.3', '8.2.2']);
    assert.deepEqual(clausesNamedIn('6.2.6.1, signature line'), ['6.2.6.1']);
    assert.deepEqual(clausesNamedIn('6.3.7.1, row Client-ID'), ['6.3.7']);
    assert.deepEqual(clausesNamedIn('6.1, third paragraph; 8.1.1'), ['6.1', '8.1.1']);
    assert.deepEqual(clausesNamedIn('Signature lines'), []);
  });
});
