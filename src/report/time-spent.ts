/**
 * Where a run's time went: the wait ledgers of its scenarios (src/harness/wait-ledger.ts, carried
 * by each verdict record) added up for summary.json, and told in summary.md in the domain's words.
 * An implementer whose run is slow learns from it whether the harness waited for what the rules
 * ask of every run, or for messages their server never sent.
 */
import type { WaitKind, WaitsRecord } from '../harness/wait-ledger';
import { sumWaits, waitsOf } from '../harness/wait-ledger';
import type { RunRead } from './run-reader';
import type { RunWaits, Summary } from './summary';

/** The ledgers of the run's scenarios (the last attempt of each, as it attached them), added up; undefined when none has one. */
export function runWaits(run: Pick<RunRead, 'scenarios'>): RunWaits | undefined {
  const ledgers = run.scenarios.flatMap((s) => {
    const w = waitsOf(s.attached?.waits);
    return w ? [w] : [];
  });
  return ledgers.length ? { scenarios: ledgers.length, byKind: sumWaits(ledgers) } : undefined;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line per kind, the expensive case first; what it says of the run's timing comes from the IXIT it judged with. */
function lineOf(kind: WaitKind, w: WaitsRecord, t: Summary['timing']): string {
  const { count, ms } = w[kind];
  switch (kind) {
    case 'missed':
      return (
        `waiting for messages that never came: ${secs(ms)} in ${plural(count, 'wait')}, each ended by its deadline ` +
        `(the delivery deadline, ${t.deliveryDeadlineMs} ms, from what caused the message) — a server that sends them ends these waits at once`
      );
    case 'settle':
      return `settle windows: ${secs(ms)} in ${count} (after each scenario, and between actions where a server may send more, until nothing new has come for ${t.settleWindowUsedMs} ms)`;
    case 'quiet':
      return `quiet periods: ${secs(ms)} in ${count} (absence asserted: what must not be sent is waited for ${t.quietPeriodMs} ms after the action)`;
    case 'stated':
      return `durations the features state (an SP away "for 1 second"): ${secs(ms)} in ${count}`;
    case 'arrived':
      return `waiting for messages that came: ${secs(ms)} in ${plural(count, 'wait')} (the time until each came)`;
    case 'answer':
      return `the target's answers: ${secs(ms)} for ${plural(count, 'request')}`;
  }
}

const ORDER: readonly WaitKind[] = ['missed', 'settle', 'quiet', 'stated', 'arrived', 'answer'];

/** The "Where the time went" section of summary.md; no lines when the run recorded no wait worth naming. */
export function renderTimeSpent(s: Pick<Summary, 'waits' | 'timing'>): string[] {
  const w = s.waits;
  if (!w) return [];
  const kinds = ORDER.filter((k) => w.byKind[k].count > 0 && (w.byKind[k].ms > 0 || k === 'missed'));
  if (!kinds.length) return [];
  return [
    '## Where the time went',
    '',
    `What the ${plural(w.scenarios, 'scenario')} spent waiting on the target, added up over the scenarios:`,
    '',
    ...kinds.map((k) => `- ${lineOf(k, w.byKind, s.timing)}`),
    '',
    'Settle windows, quiet periods and the stated durations are what the verdict rules ask of every run; the rest depends on the server.',
  ];
}
