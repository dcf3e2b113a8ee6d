/**
 * Scoring a run into its certificate, on a synthetic suite (one feature file, real requirement
 * ids) and a synthetic cucumber messages NDJSON built the way cucumber writes it: the feature's
 * source, gherkin document and pickles, then per test case its steps, attachments and end.
 * As in cucumber, every attachment names the step it was made in: cucumber refuses to attach
 * when no step or hook runs, and the reader (@cucumber/query) finds attachments by their step.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import type { Envelope } from '@cucumber/messages';
import { IdGenerator } from '@cucumber/messages';
import type { Ics } from '../../src/config/ics';
import { referenceIcs } from '../../src/config/ics';
import { DEFAULT_IXIT } from '../../src/config/ixit';
import { buildSummary } from '../../src/report/build-summary';
import { isBlocking } from '../../src/report/scoring';
import type { Summary } from '../../src/report/summary';
import { exitCodeFor } from '../../src/report/summary';
import { renderSummaryMarkdown, writeSummary } from '../../src/report/summary-render';
import type { JudgedCheck, LateVerdict, ScenarioVerdict } from '../../src/report/verdict';
import { LATE_VERDICT_MEDIA_TYPE, VERDICT_MEDIA_TYPE } from '../../src/report/verdict';
import { requirement } from '../../src/requirements/catalog';
import type { WaitsRecord } from '../../src/harness/wait-ledger';
import { noWaits } from '../../src/harness/wait-ledger';

const FEATURE = `Feature: synthetic
  @req-reg.client-driven
  Scenario: one
    Given x

  @req-reg.client-id-unique
  Scenario: two
    Given x

  @req-reg.client-registers-at-startup
  Scenario: three
    Given x

  @req-policy.per-device.keeps-id
  Scenario: four
    Given x
`;
const URI = 'features/a.feature';

/** A package root with package.json and the feature file. */
function makeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'dpe-summary-'));
  mkdirSync(join(root, 'features'));
  writeFileSync(join(root, 'features', 'a.feature'), FEATURE);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'dpe-conformance', version: '9.9.9' }));
  return root;
}

interface Outcome {
  verdict?: ScenarioVerdict;
  reason?: string;
  /** cucumber status of the one step. */
  status?: string;
  /** An earlier attempt that was retried first. */
  retriedFirst?: boolean;
  judged?: JudgedCheck[];
  /** The scenario's wait ledger (absent: a record of a harness before the ledger). */
  waits?: WaitsRecord;
}

/** The NDJSON cucumber would write when scenarios one..four end as given (absent = not run). */
function messages(
  outcomes: Partial<Record<'one' | 'two' | 'three' | 'four', Outcome>>,
  late: Array<Omit<LateVerdict, 'pickleId'>> = [],
): string {
  const newId = IdGenerator.incrementing();
  const doc = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(FEATURE);
  const gherkinDocument = { ...doc, uri: URI };
  const pickles = compile(gherkinDocument, URI, newId);
  const out: Envelope[] = [
    {
      meta: {
        protocolVersion: '32',
        implementation: { name: 'cucumber-js', version: '12.9.0' },
        runtime: { name: 'node.js', version: '20.20.2' },
        os: { name: 'linux' },
        cpu: { name: 'x64' },
      },
    },
    { source: { uri: URI, data: FEATURE, mediaType: 'text/x.cucumber.gherkin+plain' as never } },
    { gherkinDocument },
    ...pickles.map((pickle) => ({ pickle })),
    { testRunStarted: { timestamp: { seconds: 1000, nanos: 0 } } },
  ] as Envelope[];
  let n = 0;
  for (const p of pickles) {
    const o = outcomes[p.name as keyof typeof outcomes];
    if (!o) continue;
    const tc = `tc-${p.name}`;
    const step = `ts-${p.name}`;
    out.push({
      testCase: { id: tc, pickleId: p.id, testSteps: [{ id: step, pickleStepId: p.steps[0]!.id, stepDefinitionIds: [] }] },
    } as unknown as Envelope);
    const attempts = o.retriedFirst ? [true, false] : [false];
    for (const retried of attempts) {
      const started = `st-${p.name}-${++n}`;
      out.push({ testCaseStarted: { id: started, testCaseId: tc, attempt: 0, timestamp: { seconds: 1000, nanos: 0 } } } as Envelope);
      const status = retried
        ? 'FAILED'
        : (o.status ?? (o.verdict === 'pass' ? 'PASSED' : o.verdict === 'not applicable' ? 'SKIPPED' : 'FAILED'));
      out.push({
        testStepFinished: {
          testCaseStartedId: started,
          testStepId: step,
          testStepResult: { status, duration: { seconds: 0, nanos: 0 } },
          timestamp: { seconds: 1000, nanos: 0 },
        },
      } as unknown as Envelope);
      if (p.name === 'three' && late.length) {
        // a later scenario's After hook reports what earlier ones received late
        const body = late.map((l) => JSON.stringify({ ...l, pickleId: pickles.find((x) => x.name === l.scenario)!.id })).join('\n');
        out.push({
          attachment: {
            testCaseStartedId: started,
            testStepId: step,
            mediaType: LATE_VERDICT_MEDIA_TYPE,
            body,
            contentEncoding: 'IDENTITY',
          },
        } as unknown as Envelope);
      }
      const verdict = retried ? 'error' : o.verdict;
      if (verdict) {
        const body = JSON.stringify({
          verdict,
          reason: o.reason ?? `${verdict} reason`,
          requirements: p.tags.map((t) => t.name.slice(5)),
          judged: o.judged,
          waits: o.waits,
        });
        out.push({
          attachment: { testCaseStartedId: started, testStepId: step, mediaType: VERDICT_MEDIA_TYPE, body, contentEncoding: 'IDENTITY' },
        } as unknown as Envelope);
      } else if (status === 'SKIPPED') {
        out.push({
          attachment: {
            testCaseStartedId: started,
            testStepId: step,
            mediaType: 'text/plain',
            body: 'Not applicable to the declared ICS: because',
            contentEncoding: 'IDENTITY',
          },
        } as unknown as Envelope);
      }
      out.push({
        testCaseFinished: { testCaseStartedId: started, willBeRetried: retried, timestamp: { seconds: 1001, nanos: 0 } },
      } as Envelope);
    }
  }
  out.push({ testRunFinished: { success: true, timestamp: { seconds: 1002, nanos: 500_000_000 } } } as Envelope);
  return `${out.map((e) => JSON.stringify(e)).join('\n')}\n`;
}

const ALL_PASS = {
  one: { verdict: 'pass' },
  two: { verdict: 'pass' },
  three: { verdict: 'pass' },
  four: { verdict: 'not applicable', reason: 'per-device only' },
} as const;

function summarise(
  outcomes: Parameters<typeof messages>[0],
  ics: Ics = referenceIcs('per-user-and-device'),
  tags?: string,
  late: Parameters<typeof messages>[1] = [],
): Summary {
  const root = makeRoot();
  const messagesFile = join(root, 'm.ndjson');
  writeFileSync(messagesFile, messages(outcomes, late));
  return buildSummary({
    root,
    messagesFile,
    target: 'http://127.0.0.1:7700',
    ics,
    ixit: DEFAULT_IXIT,
    icsFile: 'ics.json',
    command: 'npx dpe-conformance run --target http://127.0.0.1:7700',
    tags,
  });
}

const req = (s: Summary, id: string) => s.requirements.find((r) => r.id === id)!;

describe('buildSummary', () => {
  it('certifies a full selection that passes, with not-applicable scenarios apart and never a pass', () => {
    const s = summarise(ALL_PASS);
    assert.equal(s.verdict, 'pass');
    assert.equal(s.certified, true);
    assert.equal(exitCodeFor(s), 0);
    assert.deepEqual(
      { selected: s.selection.selected, executed: s.selection.executed, notApplicable: s.selection.notApplicable },
      { selected: 3, executed: 3, notApplicable: 1 },
    );
    assert.equal(s.totals.scenarios.pass, 3);
    assert.equal(s.totals.scenarios['not applicable'], 1);
    assert.equal(req(s, 'policy.per-device.keeps-id').verdict, 'not applicable');
    assert.equal(req(s, 'reg.client-driven').verdict, 'pass');
    // a requirement no scenario of this suite names
    assert.equal(req(s, 'dc.order-releases-first').verdict, 'not tested');
    assert.equal(s.versions.cucumber, '12.9.0');
    assert.equal(s.suite.version, '9.9.9');
    assert.match(s.suite.featuresDigest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(s.durationMs, 2500);
    assert.equal(s.ixit.declared.serviceProviders[0]?.token, '(redacted)');
  });

  it('fails the run on a failed SHALL or derived requirement, naming it', () => {
    for (const failing of ['one', 'two'] as const) {
      const s = summarise({ ...ALL_PASS, [failing]: { verdict: 'fail', reason: 'DPE_Group_Release missing' } });
      assert.equal(s.verdict, 'fail', failing);
      assert.equal(exitCodeFor(s), 1);
      assert.equal(s.certified, false);
      assert.ok(
        s.reasons.some(
          (r) => r.includes(failing === 'one' ? 'reg.client-driven' : 'reg.client-id-unique') && r.includes('DPE_Group_Release missing'),
        ),
      );
    }
  });

  it('only warns on a failed requirement that is not SHALL, MAY or derived', () => {
    const s = summarise({ ...ALL_PASS, three: { verdict: 'fail' } });
    assert.equal(req(s, 'reg.client-registers-at-startup').verdict, 'fail');
    assert.equal(s.verdict, 'pass');
    assert.ok(s.warnings.some((w) => w.includes('reg.client-registers-at-startup')));
    assert.equal(isBlocking(requirement('reg.client-registers-at-startup')), false);
    assert.equal(isBlocking(requirement('dc.unchanged-no-releases')), false, 'derived');
    assert.equal(isBlocking(requirement('dc.release-groups')), true, 'CR text');
    assert.equal(isBlocking(requirement('cid.report-concerned-only')), true, 'binding');
  });

  it('passes "with warnings" when only a derived rule did not hold, and names it', () => {
    const judged: JudgedCheck[] = [
      { requirement: 'dc.unchanged-no-releases', force: 'warns', message: 'phone A received DPE_Group_Release (#4)' },
    ];
    const s = summarise({ ...ALL_PASS, one: { verdict: 'pass', judged } });
    assert.equal(s.verdict, 'pass');
    assert.equal(s.withWarnings, true);
    assert.equal(exitCodeFor(s), 0);
    assert.match(renderSummaryMarkdown(s), /PASS with warnings/);
    assert.equal(req(s, 'dc.unchanged-no-releases').verdict, 'fail');
    assert.equal(req(s, 'dc.unchanged-no-releases').force, 'warns');
    assert.ok(s.warnings.some((w) => w.includes('dc.unchanged-no-releases') && w.includes('derived') && w.includes('#4')));
    assert.ok(s.reasons.some((r) => r.includes('warnings: dc.unchanged-no-releases')));
    assert.deepEqual(
      s.scenarios.find((x) => x.name === 'one')!.warnings.map((w) => w.requirement),
      ['dc.unchanged-no-releases'],
    );
  });

  it('fails a derived rule the ICS declared through its erratum reading', () => {
    const ics: Ics = { ...referenceIcs('per-user-and-device'), errata: { ...referenceIcs('per-user-and-device').errata, E31: 'strict' } };
    const judged: JudgedCheck[] = [{ requirement: 'dc.sets-only-defined', force: 'fails', message: 'phone B was set group "x"' }];
    const s = summarise({ ...ALL_PASS, one: { verdict: 'fail', reason: 'phone B was set group "x"', judged } }, ics);
    assert.equal(req(s, 'dc.sets-only-defined').force, 'fails');
    assert.equal(req(s, 'dc.sets-only-defined').verdict, 'fail');
    assert.equal(s.verdict, 'fail');
  });

  it('moves a message judged after its scenario ended back onto that scenario', () => {
    const s = summarise(ALL_PASS, undefined, undefined, [
      { scenario: 'two', requirement: 'reg.client-id-unique', force: 'fails', message: 'phone B received DPE_Group_Release (#9)' },
    ]);
    const two = s.scenarios.find((x) => x.name === 'two')!;
    assert.equal(two.verdict, 'fail');
    assert.match(two.reason, /after the scenario ended: phone B received DPE_Group_Release/);
    assert.equal(s.verdict, 'fail');
    assert.ok(!s.reasons.some((r) => r.includes('hook failed')), s.reasons.join('\n'));
  });

  it('reports known deviations apart, and flags one that unexpectedly passes', () => {
    const ics: Ics = {
      ...referenceIcs('per-user-and-device'),
      deviations: [
        { requirement: 'reg.client-driven', reason: 'fixed in 2.1', link: 'https://tracker.invalid/1' },
        { scenario: 'two', reason: 'thought broken' },
      ],
    };
    const s = summarise({ ...ALL_PASS, one: { verdict: 'fail' } }, ics);
    assert.equal(s.verdict, 'pass');
    assert.equal(req(s, 'reg.client-driven').verdict, 'fail');
    assert.equal(req(s, 'reg.client-driven').knownDeviation, true);
    assert.deepEqual(
      s.deviations.map((d) => d.status),
      ['confirmed', 'unexpectedly-passes'],
    );
    assert.ok(s.warnings.some((w) => w.includes('two') && w.includes('unexpectedly passes')));
    assert.equal(s.scenarios.find((x) => x.name === 'one')!.deviation, 0);
  });

  it('marks a run that executed less than the ICS selects as partial: never a certification pass', () => {
    const s = summarise(
      { one: { verdict: 'pass' }, two: { verdict: 'pass' } },
      undefined,
      '@req-reg.client-driven or @req-reg.client-id-unique',
    );
    assert.equal(s.partial, true);
    assert.equal(s.certified, false);
    assert.equal(s.verdict, 'pass');
    assert.deepEqual(s.selection.missing, [`${URI}:11`]);
    assert.ok(s.reasons.some((r) => r.startsWith('partial run') && r.includes('--tags')));
    assert.equal(req(s, 'reg.client-registers-at-startup').verdict, 'not tested');
  });

  it('ends in an environment error on an error verdict, unless a failure is established', () => {
    const e = summarise({ ...ALL_PASS, two: { verdict: 'error', reason: 'connection refused' } });
    assert.equal(e.verdict, 'error');
    assert.equal(exitCodeFor(e), 2);
    const f = summarise({ ...ALL_PASS, one: { verdict: 'fail' }, two: { verdict: 'error' } });
    assert.equal(f.verdict, 'fail');
    assert.equal(exitCodeFor(f), 1);
  });

  it('uses the last attempt of a retried scenario, and reads statuses when no verdict was attached', () => {
    const s = summarise({ ...ALL_PASS, one: { verdict: 'pass', retriedFirst: true }, four: { status: 'SKIPPED' } });
    assert.equal(s.scenarios.find((x) => x.name === 'one')!.verdict, 'pass');
    assert.equal(s.scenarios.length, 4);
    const four = s.scenarios.find((x) => x.name === 'four')!;
    assert.deepEqual([four.verdict, four.reason], ['not applicable', 'because']);
    const broken = summarise({ ...ALL_PASS, two: { status: 'FAILED' } });
    assert.equal(broken.scenarios.find((x) => x.name === 'two')!.verdict, 'error');
  });

  it('writes summary.json and summary.md ending with the Reproduce section', () => {
    const s = summarise({ ...ALL_PASS, one: { verdict: 'fail', reason: 'a | pipe' } });
    const dir = mkdtempSync(join(tmpdir(), 'dpe-summary-out-'));
    const { json, md } = writeSummary(dir, s);
    assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), JSON.parse(JSON.stringify(s)));
    const text = readFileSync(md, 'utf8');
    assert.match(text, /^# DPE conformance run: FAIL/);
    assert.ok(text.includes('a \\| pipe'), 'pipes escaped in tables');
    const reproduce = text.slice(text.lastIndexOf('## '));
    assert.match(reproduce, /^## Reproduce/);
    assert.ok(reproduce.includes('npx dpe-conformance run --target http://127.0.0.1:7700'));
    assert.match(reproduce, /node 20\.20\.2, dpe-conformance 9\.9\.9, cucumber-js 12\.9\.0/);
    // one JUnit case per requirement, with its source and force, every verdict class distinct
    const junit = readFileSync(join(dir, 'requirements.junit.xml'), 'utf8');
    assert.match(
      junit,
      /<testcase classname="requirements.6.1" name="reg.client-driven">[\s\S]*?<property name="source" value="CR text: [^"]+"\/>[\s\S]*?<property name="force" value="fails"\/>[\s\S]*?<failure type="fail" message="[^"]*a \| pipe"\/>/,
    );
    assert.match(junit, /name="policy.per-device.keeps-id">[\s\S]*?<skipped message="not applicable/);
    assert.match(
      s.timing ? renderSummaryMarkdown(s) : '',
      /\| Timing \| delivery deadline 1500 ms, quiet period 120 ms, settle window 120 ms/,
    );
  });

  it('adds up where the time went, says it in summary.md, and says nothing for records without a ledger', () => {
    const one = { ...noWaits(), settle: { count: 1, ms: 120 }, missed: { count: 2, ms: 3000 }, answer: { count: 2, ms: 10 } };
    const two = { ...noWaits(), settle: { count: 1, ms: 118 }, quiet: { count: 1, ms: 120 }, stated: { count: 1, ms: 990 } };
    const s = summarise({ ...ALL_PASS, one: { verdict: 'fail', waits: one }, two: { verdict: 'pass', waits: two } });
    assert.equal(s.waits?.scenarios, 2, 'scenario three attached no ledger, four did not apply');
    assert.deepEqual(s.waits?.byKind.settle, { count: 2, ms: 238 });
    assert.deepEqual(s.waits?.byKind.missed, { count: 2, ms: 3000 });
    const md = renderSummaryMarkdown(s);
    const section = md.slice(md.indexOf('## Where the time went'), md.indexOf('## Requirements'));
    assert.match(
      section,
      /- waiting for messages that never came: 3\.0 s in 2 waits, each ended by its deadline \(the delivery deadline, 1500 ms/,
    );
    assert.match(section, /- settle windows: 0\.2 s in 2 /);
    assert.match(section, /- quiet periods: 0\.1 s in 1 /);
    assert.match(section, /- durations the features state \(an SP away "for 1 second"\): 1\.0 s in 1/);
    assert.ok(section.indexOf('never came') < section.indexOf('settle windows'), 'the expensive case first');
    assert.doesNotMatch(section, /messages that came/, 'a kind with nothing is left out');
    const old = summarise(ALL_PASS);
    assert.equal(old.waits, undefined);
    assert.doesNotMatch(renderSummaryMarkdown(old), /Where the time went/);
    // nothing worth saying: no section either
    const idle = summarise({ ...ALL_PASS, one: { verdict: 'pass', waits: noWaits() } });
    assert.equal(idle.waits?.scenarios, 1);
    assert.doesNotMatch(renderSummaryMarkdown(idle), /Where the time went/);
  });

  it('flags a quiet period or settle window below the documented floor', () => {
    const root = makeRoot();
    const messagesFile = join(root, 'm.ndjson');
    writeFileSync(messagesFile, messages(ALL_PASS));
    const ixit = { ...DEFAULT_IXIT, timing: { deliveryDeadlineMs: 1000, quietPeriodMs: 50 } };
    const s = buildSummary({ root, messagesFile, target: 'x', ics: referenceIcs('per-user-and-device'), ixit, command: 'x' });
    assert.ok(
      s.warnings.some((w) => /quietPeriodMs 50 ms is below the documented floor of 100 ms/.test(w)),
      s.warnings.join('\n'),
    );
    assert.equal(s.timing.settleWindowUsedMs, 100);
  });
});
