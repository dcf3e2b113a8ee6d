/**
 * The timing a run judges with (IXIT `timing`) and its documented floors: absence asserted over a
 * shorter period, or a settle window shorter than this, says too little; the certificate flags it.
 */
import type { Ixit } from './ixit';

export const QUIET_FLOOR_MS = 100;
export const SETTLE_FLOOR_MS = 100;

/** The settle window a run uses: the IXIT's (its quiet period when it names none), never below the floor. */
export function settleWindowOf(ixit: Ixit): number {
  return Math.max(SETTLE_FLOOR_MS, ixit.timing.settleWindowMs ?? ixit.timing.quietPeriodMs);
}

/** Timing below the documented floors, in words (for the certificate). */
export function timingBelowFloor(ixit: Ixit): string[] {
  const out: string[] = [];
  if (ixit.timing.quietPeriodMs < QUIET_FLOOR_MS) {
    out.push(`IXIT timing.quietPeriodMs ${ixit.timing.quietPeriodMs} ms is below the documented floor of ${QUIET_FLOOR_MS} ms: absence was asserted over a shorter period`);
  }
  const asked = ixit.timing.settleWindowMs ?? ixit.timing.quietPeriodMs;
  if (asked < SETTLE_FLOOR_MS) out.push(`IXIT settle window ${asked} ms is below the floor of ${SETTLE_FLOOR_MS} ms; the run used ${SETTLE_FLOOR_MS} ms`);
  return out;
}
