/**
 * The end of every scenario: once its last step is over, the scenario settles — it waits until
 * what the oracle predicts has arrived (or the delivery deadline), then for a settle window in
 * which nothing new arrives (IXIT, never below its floor: src/config/timing.ts) — and everything it received is
 * judged against the state and the rules: device state, SP knowledge, malformed and unowned
 * messages. A message that arrives after that is late: the scenario is judged again — by the next
 * scenario's After hook, which attaches what is new as a late verdict, and at the end of the run
 * into the late-verdicts file — and the run reader (src/report/run-reader.ts) moves a new
 * failure back onto that scenario.
 */
import { settleWindowOf } from '../config/timing';
import type { LateVerdict } from '../report/verdict';
import { judgeSps, pendingAtSps } from './areas/client-id';
import { judgeDevices, pendingAtDevices } from './areas/device-outcome';
import { judgeMalformed } from './areas/messages';
import { repeatedReleases } from './areas/repeated-releases';
import { judgeUnattributed } from './areas/robustness';
import type { Finding } from './judgement';
import type { Scenario } from './scenario';
import type { EntryMatch, TraceEntry } from './trace';

/** A message the oracle still expects: who is to receive it (the chart's "not received" mark when it never comes). */
export interface PendingMessage {
  key: string;
  to: string;
  messageType: string;
  detail?: string;
  /** Trace seq from which it is expected. */
  since: number;
  /** What counts as its arrival (default: any message of its type to `to`). */
  arrivedIf?: EntryMatch;
  /**
   * An arrival after which it can no longer come in time, so no wait waits for it any longer
   * (a release of a device change once a set of that change has come: firstSetOfChange).
   */
  decidedBy?: TraceEntry;
}

/**
 * An outcome the oracle predicts and that has not arrived yet: the message it arrives by, and
 * `key` naming it stably (its cause included: a new device change or Client ID change is a new
 * outcome); its deadline runs from when it was first predicted (Scenario.awaitOutcomes).
 *   release  a `*` release a device change owes a device (8.2.2): only the steps that look at
 *            releases judge it (the settled judgement judges state, not releases)
 *   setting  a setting a device must hold (judged by the settled judgement)
 *   report   a report an SP is owed (judged by the settled judgement)
 */
export interface Outcome extends PendingMessage {
  kind: 'release' | 'setting' | 'report';
  /** The device it is owed to (release, setting). */
  device?: string;
}

/** What the oracle still expects to arrive. */
export function pendingOutcomes(s: Scenario): Outcome[] {
  return [...pendingAtDevices(s), ...pendingAtSps(s)];
}

/**
 * Gives up on an outcome whose deadline passed, or that an arrival decided (PendingMessage.decidedBy):
 * no wait waits for it again, and the trace marks it not received.
 */
export function giveUp(s: Scenario, o: Outcome): void {
  if (s.givenUp.has(o.key)) return;
  s.givenUp.add(o.key);
  s.missed(o.to, o.messageType, { detail: o.detail, since: o.since, arrivedIf: o.arrivedIf, before: o.decidedBy });
}

/** What the settled judgement judges: every predicted outcome but the releases. */
export const judgedAtSettle = (o: Outcome): boolean => o.kind !== 'release';

/** Every finding over what the scenario received (pure: can be run again on late messages). */
export function settledFindings(s: Scenario): Finding[] {
  return [...judgeMalformed(s), ...judgeUnattributed(s), ...judgeDevices(s), ...judgeSps(s), ...repeatedReleases(s)];
}

/**
 * Settles and judges the scenario. `failedAlready`: a step failed, so the predicted messages are
 * not waited for (the verdict is decided); the settle window is still kept so late traffic is
 * charged to this scenario and not the next. What a step or the set-up already waited for in
 * vain is not waited for again (Scenario.givenUp).
 */
export async function settleAndJudge(s: Scenario, failedAlready: boolean): Promise<void> {
  // releases are judged by the steps that look at them, which waited for them; the rest is judged here
  if (!failedAlready) await s.awaitOutcomes(judgedAtSettle);
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
    // judged again only when something new arrived: what it received alone decides its findings
    if (!s.lateEntries.length || !s.pickleId || s.lateJudged === s.lateEntries.length) continue;
    s.lateJudged = s.lateEntries.length;
    const seqs = s.lateEntries.map((e) => `#${e.seq} ${e.messageType} to ${e.to}`).join(', ');
    for (const f of settledFindings(s)) {
      if (s.settledKeys?.has(keyOf(f))) continue;
      // reported once: a later judgement of the same scenario reports only what is new again
      s.settledKeys?.add(keyOf(f));
      const force = s.judgement.note(f);
      out.push({
        pickleId: s.pickleId,
        scenario: s.pickleName ?? s.id,
        requirement: f.requirement,
        force,
        message: `${f.message} [late: ${seqs}]`,
      });
    }
  }
  return out;
}
