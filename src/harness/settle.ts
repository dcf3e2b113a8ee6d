/**
 * The end of every scenario: once its last step is over, the scenario settles — it waits until
 * what the oracle predicts has arrived (or the delivery deadline), then for a settle window in
 * which nothing new arrives (IXIT, never below its floor: src/config/timing.ts) — and everything it received is
 * judged against the state and the rules: device state, SP knowledge, malformed and unowned
 * messages. A message that arrives after that is late: the scenario is judged again — by the next
 * scenario's After hook, which attaches what is new as a late verdict, and at the end of the run
 * into the late-verdicts file — and summary.ts moves a new failure back onto that scenario.
 */
import { settleWindowOf } from '../config/timing';
import type { LateVerdict } from '../report/verdict';
import { judgeSps, pendingMessagesAtSps } from './areas/client-id';
import { judgeDevices, pendingMessagesAtDevices } from './areas/device-change';
import { judgeMalformed } from './areas/messages';
import { judgeUnattributed } from './areas/robustness';
import type { Finding } from './judgement';
import type { Scenario } from './scenario';
import type { EntryMatch } from './trace';

/** A message the oracle still expects: who is to receive it, and the key settling remembers it by. */
export interface PendingMessage {
  key: string;
  to: string;
  messageType: string;
  detail?: string;
  /** Trace seq from which it is expected. */
  since: number;
  /** What counts as its arrival (default: any message of its type to `to`). */
  arrivedIf?: EntryMatch;
}

/** What the oracle still expects to arrive. */
export function pendingMessages(s: Scenario): PendingMessage[] {
  return [...pendingMessagesAtDevices(s), ...pendingMessagesAtSps(s)];
}

export function pendingOutcomes(s: Scenario): string[] {
  return pendingMessages(s).map((p) => p.key);
}

/** Gives up on what is still pending and not given up before: each is marked as not received in the trace. */
export function giveUpPending(s: Scenario): void {
  for (const p of pendingMessages(s)) {
    if (s.givenUp.has(p.key)) continue;
    s.givenUp.add(p.key);
    s.trace.notReceived({ to: p.to, messageType: p.messageType, detail: p.detail, since: p.since, withinMs: s.deadline }, p.arrivedIf);
  }
}

/** Every finding over what the scenario received (pure: can be run again on late messages). */
export function settledFindings(s: Scenario): Finding[] {
  return [...judgeMalformed(s), ...judgeUnattributed(s), ...judgeDevices(s), ...judgeSps(s)];
}

/**
 * Settles and judges the scenario. `failedAlready`: a step failed, so the predicted messages are
 * not waited for (the verdict is decided); the settle window is still kept so late traffic is
 * charged to this scenario and not the next.
 */
export async function settleAndJudge(s: Scenario, failedAlready: boolean): Promise<void> {
  if (!failedAlready && !(await s.trace.waitUntil(() => pendingOutcomes(s).every((p) => s.givenUp.has(p)), s.deadline))) giveUpPending(s);
  await s.trace.quietFor(settleWindowOf(s.ctx.ixit), s.deadline);
  s.route.ended = true;
  s.settledKeys = new Set(settledFindings(s).map(keyOf));
  s.judgement.settle(settledFindings(s));
}

const keyOf = (f: Finding) => `${f.requirement}\u0000${f.message}`;

/** Judges again every finished scenario that received late messages; returns what they newly broke. */
export function lateVerdicts(scenarios: Iterable<Scenario & { pickleId?: string; pickleName?: string }>): LateVerdict[] {
  const out: LateVerdict[] = [];
  for (const s of scenarios) {
    if (!s.lateEntries.length || !s.pickleId) continue;
    const seqs = s.lateEntries.map((e) => `#${e.seq} ${e.messageType} to ${e.to}`).join(', ');
    for (const f of settledFindings(s)) {
      if (s.settledKeys?.has(keyOf(f))) continue;
      // reported once: a later judgement of the same scenario reports only what is new again
      s.settledKeys?.add(keyOf(f));
      const force = s.judgement.note(f);
      out.push({ pickleId: s.pickleId, scenario: s.pickleName ?? s.id, requirement: f.requirement, force, message: `${f.message} [late: ${seqs}]` });
    }
  }
  return out;
}
