/**
 * The sequence chart of a trace: every party gets a lifeline, every message an arrow, the
 * failing message is red, text is XML-escaped and the output is stable.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, partiesOf, renderSequenceChart } from '../../src/report/sequence-chart';
import type { TraceEntry } from '../../src/harness/trace';

const entry = (
  seq: number,
  from: string,
  to: string,
  kind: TraceEntry['kind'],
  messageType: string,
  extra: Partial<TraceEntry> = {},
): TraceEntry => ({
  seq,
  at: seq * 3,
  from,
  to,
  kind,
  messageType,
  body: { 'Message-Type': messageType },
  problems: [],
  ...extra,
});

const TRACE: TraceEntry[] = [
  entry(1, 'maps provider', 'DPE Server', 'request', 'DPE_Group_Set'),
  entry(2, 'DPE Server', 'maps provider', 'answer', 'HTTP 204', { status: 204 }),
  entry(3, 'phone A', 'DPE Server', 'request', 'DPE_Registration_Request'),
  entry(4, 'DPE Server', 'phone A', 'answer', 'DPE_Registration_Response', { status: 200 }),
  entry(5, 'DPE Server', 'phone A', 'notify', 'DPE_Group_Release', { body: { Group_ID: '<&"x">' } }),
  entry(6, 'DPE Server', 'maps provider', 'notify', 'DPE_Client_ID_Report'),
  entry(7, 'harness', 'DPE Server', 'request', 'POST /provisioning/<x>&y'),
];

/** The text of every <text> element, unescaped by a tiny parser of the few entities we emit. */
const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(([, text = '']) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );

describe('renderSequenceChart', () => {
  it('draws a lifeline with a named box for every party', () => {
    const svg = renderSequenceChart(TRACE, { title: 'SIM moves' });
    const t = texts(svg);
    for (const p of ['phone A', 'DPE Server', 'maps provider', 'harness']) assert.ok(t.includes(p), `no box for ${p}`);
    assert.equal((svg.match(/stroke-dasharray='4 4'/g) ?? []).length, 4, 'one dashed lifeline per party');
    assert.ok(t.includes('SIM moves'));
  });

  it('orders parties: others, clients, the server, SPs', () => {
    assert.deepEqual(partiesOf(TRACE), ['harness', 'phone A', 'DPE Server', 'maps provider']);
  });

  it('draws one arrow per message, answers dashed, with type, status and time offset', () => {
    const svg = renderSequenceChart(TRACE, {});
    assert.equal((svg.match(/<polygon /g) ?? []).length, TRACE.length);
    assert.equal((svg.match(/stroke-dasharray='6 3'/g) ?? []).length, 2, 'two answers');
    const t = texts(svg);
    assert.ok(t.includes('200 DPE_Registration_Response'));
    assert.ok(t.includes('HTTP 204') && !t.includes('204 HTTP 204'), 'the status is not repeated');
    assert.ok(t.includes('+15 ms'), 'time offset of #5');
    assert.ok(t.includes('#7'));
  });

  it('draws highlighted messages in red with a marker, and only those', () => {
    const plain = renderSequenceChart(TRACE, {});
    assert.ok(!plain.includes('#c62828'), 'nothing red without a highlight');
    const svg = renderSequenceChart(TRACE, { highlight: [5] });
    const groups = svg.split('<g>').slice(1);
    const fifth = groups[4];
    assert.ok(fifth, 'a group for #5');
    assert.match(fifth, /stroke='#c62828'/);
    assert.match(fifth, /fill='#c62828' font-weight='bold'>\u2716<\/text>/);
    assert.match(fifth, /\+15 ms/);
    for (const [i, g] of groups.entries()) if (i !== 4) assert.doesNotMatch(g, /#c62828/, `#${i + 1} must not be red`);
  });

  it('escapes XML in labels, titles and bodies', () => {
    const svg = renderSequenceChart(TRACE, { title: `a <b> & "c"` });
    assert.ok(!svg.includes('<x>'), 'raw < in a label');
    assert.ok(!svg.includes('"x"'), 'raw quote in a body');
    assert.ok(svg.includes('POST /provisioning/&lt;x&gt;&amp;y'));
    assert.ok(texts(svg).includes('a <b> & "c"'));
    // every & starts an entity: the document stays well-formed
    assert.doesNotMatch(svg, /&(?!amp;|lt;|gt;|quot;|apos;)/);
    assert.equal(escapeXml(`<'&">`), '&lt;&apos;&amp;&quot;&gt;');
  });

  it('is stable for the same input and copes with an empty trace', () => {
    assert.equal(renderSequenceChart(TRACE, { highlight: [2] }), renderSequenceChart(TRACE, { highlight: [2] }));
    const empty = renderSequenceChart([], { title: 't' });
    assert.match(empty, /^<svg /);
    assert.ok(texts(empty).includes('(no messages)'));
  });
});
