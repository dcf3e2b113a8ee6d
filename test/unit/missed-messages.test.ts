/**
 * A message the harness waited for in vain: recorded once in the trace (never as an entry),
 * written into the trace file, and drawn in the chart as a red "expected … within N ms, not
 * received" mark on the lifeline of the party that should have received it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MissedMessage, TraceEntry } from '../../src/harness/trace';
import { Trace } from '../../src/harness/trace';
import { missedLabel, partiesOf, renderSequenceChart } from '../../src/report/sequence-chart';
import { traceToNdjson } from '../../src/report/trace-file';

const RED = '#c62828';

function traced(): Trace {
  const t = new Trace();
  t.add({ from: 'phone B', to: 'DPE Server', kind: 'request', messageType: 'DPE_Registration_Request', body: {}, problems: [] });
  t.add({
    from: 'DPE Server',
    to: 'phone B',
    kind: 'answer',
    messageType: 'DPE_Registration_Response',
    status: 200,
    body: {},
    problems: [],
  });
  t.add({ from: 'DPE Server', to: 'phone B', kind: 'notify', messageType: 'DPE_Policy_Release', body: { 'Policy-ID': '*' }, problems: [] });
  return t;
}

describe('Trace.notReceived', () => {
  it('records a message that did not come, with the server as its sender and the time the wait gave up', () => {
    const t = traced();
    t.notReceived({ to: 'phone B', messageType: 'DPE_Group_Release', detail: '"*"', since: 2, withinMs: 1500 });
    assert.equal(t.missed.length, 1);
    const [m] = t.missed;
    assert.ok(m);
    assert.deepEqual(
      { from: m.from, to: m.to, messageType: m.messageType, detail: m.detail, since: m.since, withinMs: m.withinMs },
      {
        from: 'DPE Server',
        to: 'phone B',
        messageType: 'DPE_Group_Release',
        detail: '"*"',
        since: 2,
        withinMs: 1500,
      },
    );
    assert.ok(m.at >= 0 && m.at <= t.now());
    assert.equal(t.entries.length, 3, 'not an entry: an entry would wake waiters and restart settle windows');
  });

  it('records nothing when such a message did arrive since the wait began', () => {
    const t = traced();
    t.notReceived({ to: 'phone B', messageType: 'DPE_Policy_Release', since: 1, withinMs: 1500 });
    assert.equal(t.missed.length, 0);
    // ... but one that arrived before the wait began does not count
    t.notReceived({ to: 'phone B', messageType: 'DPE_Policy_Release', since: 4, withinMs: 1500 });
    assert.equal(t.missed.length, 1);
  });

  it('takes what counts as arrival from the caller (a report about another user is not the one awaited)', () => {
    const t = traced();
    t.add({
      from: 'DPE Server',
      to: 'maps provider',
      kind: 'notify',
      messageType: 'DPE_Client_ID_Report',
      body: { 'User-Identity': ['bob'] },
      problems: [],
    });
    const aboutAlice = (e: TraceEntry) => e.messageType === 'DPE_Client_ID_Report' && JSON.stringify(e.body).includes('alice');
    t.notReceived({ to: 'maps provider', messageType: 'DPE_Client_ID_Report', detail: 'about Alice', since: 1, withinMs: 900 }, aboutAlice);
    assert.equal(t.missed.length, 1);
  });

  it('records one missing message once, however many waits give up on it, and again once it has come and is awaited anew', () => {
    const t = traced();
    const wait = (since: number) =>
      t.notReceived({ to: 'phone B', messageType: 'DPE_Group_Release', detail: '"*"', since, withinMs: 1500 });
    wait(2);
    wait(3); // the step's own check after the set-up gave up
    assert.equal(t.missed.length, 1);
    t.add({
      from: 'DPE Server',
      to: 'phone B',
      kind: 'notify',
      messageType: 'DPE_Group_Release',
      body: { Group_ID: '*' },
      problems: [],
      late: true,
    });
    wait(5); // a later device change of the same device
    assert.equal(t.missed.length, 2);
  });
});

const entry = (seq: number, at: number, from: string, to: string, kind: TraceEntry['kind'], messageType: string): TraceEntry => ({
  seq,
  at,
  from,
  to,
  kind,
  messageType,
  body: {},
  problems: [],
});
const TRACE: TraceEntry[] = [
  entry(1, 0, 'phone B', 'DPE Server', 'request', 'DPE_Registration_Request'),
  entry(2, 5, 'DPE Server', 'phone B', 'answer', 'DPE_Registration_Response'),
  entry(3, 9, 'DPE Server', 'phone B', 'notify', 'DPE_Policy_Release'),
  entry(4, 1700, 'maps provider', 'DPE Server', 'request', 'DPE_Group_Set'),
];
const MISSED: MissedMessage = {
  at: 1509,
  since: 2,
  from: 'DPE Server',
  to: 'phone B',
  messageType: 'DPE_Group_Release',
  detail: '"*"',
  withinMs: 1500,
};

/** The missed-message groups of a chart, with their text and the geometry of their cross. */
function marks(svg: string) {
  return [...svg.matchAll(/<g class='missed'[^>]*>([\s\S]*?)<\/g>/g)].map(([group, body]) => {
    assert.ok(body !== undefined, 'the group regex captures the body');
    return {
      head: group.slice(0, group.indexOf('>') + 1),
      texts: [...body.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(([, text]) => (text ?? '').replace(/&quot;/g, '"')),
      circle: /<circle cx='([\d.]+)' cy='([\d.]+)'[^>]*stroke='([^']+)'/.exec(body),
      line: /<line x1='([\d.]+)' y1='[\d.]+' x2='([\d.]+)'[^>]*stroke='([^']+)'[^>]*stroke-dasharray/.exec(body),
      body,
    };
  });
}

/** The x of a party's lifeline: the centre of its box label. */
function lifelineX(svg: string, party: string): number {
  const m = new RegExp(`<text x='([\\d.]+)' y='\\d+' text-anchor='middle' font-weight='bold'[^>]*>${party}</text>`).exec(svg);
  assert.ok(m, `no box for ${party}`);
  return Number(m[1]);
}

describe('the missed-message mark of the sequence chart', () => {
  it('says what was expected, within how long, and that it was not received', () => {
    assert.deepEqual(missedLabel(MISSED), ['expected DPE_Group_Release "*"', 'within 1500 ms, not received']);
    const [m] = marks(renderSequenceChart(TRACE, { missed: [MISSED] }));
    assert.ok(m, 'a missed-message mark');
    assert.ok(m.texts.includes('expected DPE_Group_Release "*"'));
    assert.ok(m.texts.includes('within 1500 ms, not received'));
    assert.ok(m.texts.includes('+1509 ms'), 'when the wait gave up');
    assert.match(m.head, /data-message-type='DPE_Group_Release' data-to='phone B'/);
  });

  it("is drawn in red on the lifeline of the party that should have received it, from the server's", () => {
    const svg = renderSequenceChart(TRACE, { missed: [MISSED] });
    const [m] = marks(svg);
    assert.ok(m?.circle && m.line);
    assert.equal(m.circle[3], RED);
    assert.equal(m.line[3], RED);
    assert.equal(Number(m.circle[1]), lifelineX(svg, 'phone B'), "the cross sits on phone B's lifeline");
    assert.equal(Number(m.line[1]), lifelineX(svg, 'DPE Server'), "the dashed arrow starts at the server's");
    assert.ok(Math.abs(Number(m.line[2]) - Number(m.circle[1])) < 12, 'and stops at the cross');
    assert.doesNotMatch(m.body, /<polygon/, 'no arrowhead: nothing arrived');
    assert.match(svg, new RegExp(`fill='${RED}'>\\u2297 = expected, not received</text>`), 'the legend names it');
  });

  it('stands in time order among the messages', () => {
    const svg = renderSequenceChart(TRACE, { missed: [MISSED] });
    const at = (s: string) => svg.indexOf(s);
    assert.ok(at('DPE_Policy_Release') < at("class='missed'"), 'after what came before the wait gave up');
    assert.ok(at("class='missed'") < at('>DPE_Group_Set<'), 'before what came after');
    const y = (s: RegExp) => Number(s.exec(svg)![1]);
    assert.ok(y(/<circle cx='[\d.]+' cy='([\d.]+)'/) > y(/>#3<\/text>[\s\S]*?y1='([\d.]+)'/), 'drawn below #3');
  });

  it('adds a lifeline for a party that received nothing, on its side of the server', () => {
    const toSp: MissedMessage = { ...MISSED, to: 'maps provider', messageType: 'DPE_Client_ID_Report', detail: 'about Alice' };
    const only = TRACE.slice(0, 3);
    assert.deepEqual(partiesOf(only, [toSp]), ['phone B', 'DPE Server', 'maps provider']);
    const svg = renderSequenceChart(only, { missed: [toSp] });
    const [m] = marks(svg);
    assert.ok(m?.circle, "a cross on the SP's lifeline");
    assert.equal(Number(m.circle[1]), lifelineX(svg, 'maps provider'));
  });

  it('leaves a chart without missed messages as it was', () => {
    const svg = renderSequenceChart(TRACE, {});
    assert.equal(marks(svg).length, 0);
    assert.doesNotMatch(svg, /#c62828/);
    assert.equal(renderSequenceChart(TRACE, { missed: [] }), svg);
  });
});

describe('the trace file', () => {
  it('lists a missed message as a line of kind "not received", in time order', () => {
    const lines = traceToNdjson(TRACE, [MISSED])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => l.kind),
      ['request', 'answer', 'notify', 'not received', 'request'],
    );
    assert.deepEqual(lines[3], {
      kind: 'not received',
      at: 1509,
      since: 2,
      from: 'DPE Server',
      to: 'phone B',
      messageType: 'DPE_Group_Release',
      detail: '"*"',
      withinMs: 1500,
    });
  });
});
