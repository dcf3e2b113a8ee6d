/**
 * A message sequence chart of one scenario's trace as a standalone SVG: one lifeline per party
 * (mock clients on the left, the server under test in the middle, mock SPs on the right), one
 * arrow per message in trace order with its Message-Type, the HTTP status of answers and the
 * time offset, and the messages a failure is about drawn in red with a marker. A message the
 * harness waited for in vain (trace.missed) is a red dashed arrow from the server to the party
 * that should have received it, ending in a red cross on that party's lifeline: "expected
 * <message> within N ms, not received", at the time the wait gave up.
 *
 * The output is a pure function of its input (no ids, no clock), so the same trace gives the
 * same bytes. Arrowheads are plain polygons rather than <marker>s: several charts inlined in
 * one HTML page would otherwise share marker ids.
 */
import { MESSAGES } from '../catalog/messages';
import type { MissedMessage, TraceEntry } from '../harness/trace';

export interface SequenceChartOptions {
  /** seq numbers of the entries to draw in red (the failing messages). */
  highlight?: number[];
  /** Messages expected and never received (trace.missed). */
  missed?: readonly MissedMessage[];
  /** Shown above the chart (e.g. the scenario name). */
  title?: string;
}

const FONT = "font-family='DejaVu Sans, Helvetica, Arial, sans-serif'";
const GUTTER = 118; // time offset and seq column on the left
const TOP = 34; // room for the title
const HEAD_H = 30; // party boxes
const ROW_H = 30;
const MISSED_H = 44; // a missed message has its label above and below its arrow
const CHAR_W = 6.4; // approximate width of an 11px sans-serif character
const RED = '#c62828';
const INK = '#263238';
const ANSWER_INK = '#546e7a';

/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

type Side = 'client' | 'hub' | 'sp' | 'other';

/** Which side of the server a party sits on, from the catalog directions of what it sends and receives. */
function sidesOf(entries: readonly Pick<TraceEntry, 'from' | 'to' | 'kind' | 'messageType'>[], hub: string): Map<string, Side> {
  const dirs = new Map<string, Set<string>>();
  for (const m of MESSAGES) {
    const s = dirs.get(m.type) ?? new Set<string>();
    s.add(m.direction);
    dirs.set(m.type, s);
  }
  const side = new Map<string, Side>([[hub, 'hub']]);
  const vote = (party: string, s: Side) => {
    if (!side.has(party) || side.get(party) === 'other') side.set(party, s);
  };
  for (const e of entries) {
    const d = dirs.get(e.messageType);
    if (e.kind === 'request' && d) {
      if (d.has('client-to-server')) vote(e.from, 'client');
      else if (d.has('sp-to-server')) vote(e.from, 'sp');
    } else if (e.kind === 'notify' && d) {
      if (d.has('server-to-client')) vote(e.to, 'client');
      else if (d.has('server-to-sp')) vote(e.to, 'sp');
    }
    for (const p of [e.from, e.to]) if (!side.has(p)) side.set(p, 'other');
  }
  return side;
}

/** Parties in display order: others (e.g. "harness"), clients, the server, SPs; each in order of first appearance. */
export function partiesOf(traced: TraceEntry[], missed: readonly MissedMessage[] = []): string[] {
  // a missed message counts as a notification the server owed its recipient
  const entries = [...traced, ...missed.map((m) => ({ from: m.from, to: m.to, kind: 'notify' as const, messageType: m.messageType }))];
  const seen: string[] = [];
  const count = new Map<string, number>();
  for (const e of entries) {
    for (const p of [e.from, e.to]) {
      if (!count.has(p)) seen.push(p);
      count.set(p, (count.get(p) ?? 0) + 1);
    }
  }
  const [first, ...rest] = seen;
  if (first === undefined) return [];
  // the hub is the party most messages touch (the server under test); ties: first seen
  const hub = rest.reduce((best, p) => (count.get(p)! > count.get(best)! ? p : best), first);
  const side = sidesOf(entries, hub);
  const rank: Record<Side, number> = { other: 0, client: 1, hub: 2, sp: 3 };
  return seen
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank[side.get(a.p)!] - rank[side.get(b.p)!] || a.i - b.i)
    .map((x) => x.p);
}

/** The two lines of a missed message's mark. */
export function missedLabel(m: MissedMessage): [string, string] {
  const when = m.before ? `before ${m.before.messageType} #${m.before.seq}` : `within ${m.withinMs} ms`;
  return [`expected ${m.messageType}${m.detail ? ` ${m.detail}` : ''}`, `${when}, not received`];
}

/** The arrow's label: Message-Type, with the status of answers and the note of a missing answer. */
export function labelOf(e: TraceEntry): string {
  let label = e.messageType;
  if (e.kind === 'answer' && e.status !== undefined && !label.includes(String(e.status))) label = `${e.status} ${label}`;
  if (e.note) label += ` (${e.note})`;
  if (e.problems.length) label += ' \u26a0 malformed';
  return label;
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}\u2026` : s;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

type Row = { e: TraceEntry; m?: undefined } | { m: MissedMessage; e?: undefined };

/** Entries in trace order, each missed message after the entries that came before its wait gave up. */
function rowsOf(entries: TraceEntry[], missed: readonly MissedMessage[]): Row[] {
  const rows: Row[] = [];
  const marks = [...missed].sort((a, b) => a.at - b.at);
  let next = 0;
  for (const e of entries) {
    for (let m = marks[next]; m !== undefined && m.at < e.at; m = marks[++next]) rows.push({ m });
    rows.push({ e });
  }
  for (const m of marks.slice(next)) rows.push({ m });
  return rows;
}

export function renderSequenceChart(entries: TraceEntry[], opts: SequenceChartOptions = {}): string {
  const highlight = new Set(opts.highlight ?? []);
  const missed = opts.missed ?? [];
  const parties = partiesOf(entries, missed);
  const rows = rowsOf(entries, missed);
  const shortLabel = (e: TraceEntry) => truncate(labelOf(e), 64);
  const labels = entries.map(shortLabel);
  const missedLabels = missed.flatMap((m) => missedLabel(m).map((l) => truncate(l, 64)));
  const longest = Math.max(12, ...labels.map((l) => l.length), ...missedLabels.map((l) => l.length), ...parties.map((p) => p.length));
  const lane = Math.min(420, Math.max(150, Math.ceil(longest * CHAR_W) + 36));
  const x = new Map(parties.map((p, i) => [p, GUTTER + lane / 2 + i * lane]));
  const width = Math.max(360, GUTTER + Math.max(1, parties.length) * lane + 10);
  const firstRow = TOP + HEAD_H + 26;
  const rowHeight = (r: Row) => (r.m ? MISSED_H : ROW_H);
  const height = firstRow + (rows.length ? rows.reduce((sum, r) => sum + rowHeight(r), 0) : ROW_H) + 10;
  const out: string[] = [];

  out.push(
    `<svg xmlns='http://www.w3.org/2000/svg' width='${width}' height='${height}' viewBox='0 0 ${width} ${height}' ${FONT} font-size='11'>`,
    `<rect width='${width}' height='${height}' fill='#ffffff'/>`,
  );
  const title = opts.title ?? 'Message sequence chart';
  out.push(`<text x='10' y='20' font-size='13' font-weight='bold' fill='${INK}'>${escapeXml(truncate(title, 160))}</text>`);
  const legend = [
    ...(highlight.size ? ['\u2716 = message the failure is about'] : []),
    ...(missed.length ? ['\u2297 = expected, not received'] : []),
  ].join('   ');
  if (legend) out.push(`<text x='${width - 10}' y='20' text-anchor='end' fill='${RED}'>${legend}</text>`);

  // party boxes and lifelines
  for (const p of parties) {
    const cx = x.get(p)!;
    const w = lane - 20;
    out.push(
      `<line x1='${num(cx)}' y1='${TOP + HEAD_H}' x2='${num(cx)}' y2='${height - 6}' stroke='#b0bec5' stroke-dasharray='4 4'/>`,
      `<rect x='${num(cx - w / 2)}' y='${TOP}' width='${num(w)}' height='${HEAD_H}' rx='5' fill='#eceff1' stroke='#90a4ae'/>`,
      `<text x='${num(cx)}' y='${TOP + 19}' text-anchor='middle' font-weight='bold' fill='${INK}'>${escapeXml(truncate(p, 40))}</text>`,
    );
  }
  out.push(`<text x='${GUTTER - 10}' y='${TOP + HEAD_H + 16}' text-anchor='end' fill='${ANSWER_INK}'>time</text>`);
  if (!rows.length) {
    out.push(`<text x='${GUTTER}' y='${firstRow + 10}' fill='${ANSWER_INK}'>(no messages)</text>`);
  }

  let top = firstRow;
  rows.forEach((r) => {
    const rowTop = top;
    top += rowHeight(r);
    if (r.m) {
      out.push(...missedMark(r.m, rowTop, width, x));
      return;
    }
    const e = r.e;
    const y = rowTop + 14;
    const red = highlight.has(e.seq);
    const colour = red ? RED : e.kind === 'answer' ? ANSWER_INK : INK;
    const label = shortLabel(e);
    const x1 = x.get(e.from)!;
    const x2 = x.get(e.to)!;
    const body = e.body === undefined ? '' : truncate(typeof e.body === 'string' ? e.body : JSON.stringify(e.body), 300);
    out.push(`<g>`, `<title>${escapeXml(`#${e.seq} +${e.at}ms ${e.from} \u2192 ${e.to}: ${e.messageType}\n${body}`)}</title>`);
    if (red) {
      out.push(
        `<rect x='2' y='${y - 19}' width='${width - 4}' height='${ROW_H - 2}' fill='#ffebee'/>`,
        `<text x='4' y='${y + 4}' fill='${RED}' font-weight='bold'>\u2716</text>`,
      );
    }
    out.push(
      `<text x='18' y='${y + 4}' fill='${ANSWER_INK}'>#${e.seq}</text>`,
      `<text x='${GUTTER - 10}' y='${y + 4}' text-anchor='end' fill='${red ? RED : ANSWER_INK}'>+${e.at} ms</text>`,
    );
    const weight = red ? " stroke-width='2.2'" : " stroke-width='1.3'";
    const dash = e.kind === 'answer' ? " stroke-dasharray='6 3'" : '';
    if (x1 === x2) {
      // a party talking to itself: a small loop
      out.push(
        `<path d='M${num(x1)} ${y - 6} h26 v12 h-26' fill='none' stroke='${colour}'${weight}${dash}/>`,
        `<polygon points='${num(x1)},${y + 6} ${num(x1 + 8)},${y + 2} ${num(x1 + 8)},${y + 10}' fill='${colour}'/>`,
        `<text x='${num(x1 + 32)}' y='${y}' fill='${colour}'${red ? " font-weight='bold'" : ''}>${escapeXml(label)}</text>`,
      );
    } else {
      const dir = x2 > x1 ? 1 : -1;
      const tip = x2 - dir * 1;
      out.push(
        `<line x1='${num(x1)}' y1='${y}' x2='${num(tip - dir * 8)}' y2='${y}' stroke='${colour}'${weight}${dash}/>`,
        `<polygon points='${num(tip)},${y} ${num(tip - dir * 9)},${y - 4} ${num(tip - dir * 9)},${y + 4}' fill='${colour}'/>`,
        `<text x='${num((x1 + x2) / 2)}' y='${y - 5}' text-anchor='middle' fill='${colour}'${red ? " font-weight='bold'" : ''}>${escapeXml(label)}</text>`,
      );
    }
    out.push(`</g>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * A missed message: a red band, a dashed red arrow from the sender's lifeline that stops short of
 * the recipient's, a crossed circle on the recipient's lifeline, the label above the arrow and
 * "within N ms, not received" below it. No polygon: an arrowhead would say it arrived.
 */
function missedMark(m: MissedMessage, rowTop: number, width: number, x: Map<string, number>): string[] {
  const y = rowTop + 20;
  const [above, below] = missedLabel(m).map((l) => escapeXml(truncate(l, 64)));
  const x2 = x.get(m.to)!;
  const x1 = x.get(m.from) ?? x2;
  const dir = x2 >= x1 ? 1 : -1;
  const mid = x1 === x2 ? x2 + dir * 60 : (x1 + x2) / 2;
  const r = 7;
  const out = [
    `<g class='missed' data-message-type='${escapeXml(m.messageType)}' data-to='${escapeXml(m.to)}'>`,
    `<title>${escapeXml(`${missedLabel(m).join(' ')}: ${m.to} waited from #${m.since} on; the wait gave up at +${m.at} ms`)}</title>`,
    `<rect x='2' y='${rowTop + 1}' width='${width - 4}' height='${MISSED_H - 2}' fill='#ffebee'/>`,
    `<text x='3' y='${y + 5}' fill='${RED}' font-size='15' font-weight='bold'>\u2297</text>`,
    `<text x='${GUTTER - 10}' y='${y + 4}' text-anchor='end' fill='${RED}'>+${m.at} ms</text>`,
  ];
  if (x1 !== x2)
    out.push(
      `<line x1='${num(x1)}' y1='${y}' x2='${num(x2 - dir * (r + 3))}' y2='${y}' stroke='${RED}' stroke-width='2' stroke-dasharray='5 4'/>`,
    );
  out.push(
    `<circle cx='${num(x2)}' cy='${y}' r='${r}' fill='#ffffff' stroke='${RED}' stroke-width='2'/>`,
    `<path d='M${num(x2 - 4)} ${y - 4} L${num(x2 + 4)} ${y + 4} M${num(x2 + 4)} ${y - 4} L${num(x2 - 4)} ${y + 4}' stroke='${RED}' stroke-width='2'/>`,
    `<text x='${num(mid)}' y='${y - 6}' text-anchor='middle' fill='${RED}' font-weight='bold'>${above}</text>`,
    `<text x='${num(mid)}' y='${y + 15}' text-anchor='middle' fill='${RED}'>${below}</text>`,
    `</g>`,
  );
  return out;
}
