/**
 * The timing a run judges with (IXIT `timing`) and its documented floors: absence asserted over a
 * shorter period, or a settle window shorter than this, says too little; the certificate flags it.
 */
import type { Ixit } from './ixit';

export const QUIET_FLOOR_MS = 100;
export const SETTLE_FLOOR_MS = 100;
/**
 * The retry horizon a run assumes when the IXIT names none. Generous: a correct server is judged
 * as soon as its report arrives, so only a faulty one pays it, while on a loaded machine a
 * target's own timers (a 2 s attempt timeout, then a retry) can fire seconds late — 5 s once
 * failed the reference server so.
 */
export const RETRY_HORIZON_DEFAULT_MS = 10_000;
/**
 * The shortest retry horizon the delivery-fault scenarios can judge: their SPs are away for 1 s,
 * and a target needs about as long again to try once more after the SP is back.
 */
export const RETRY_HORIZON_FLOOR_MS = 2_000;

/** The settle window a run uses: the IXIT's (its quiet period when it names none), never below the floor. */
export function settleWindowOf(ixit: Ixit): number {
  return Math.max(SETTLE_FLOOR_MS, ixit.timing.settleWindowMs ?? ixit.timing.quietPeriodMs);
}

/** The retry horizon a run judges with: the IXIT's, else the default. */
export function retryHorizonOf(ixit: Ixit): number {
  return ixit.timing.retryHorizonMs ?? RETRY_HORIZON_DEFAULT_MS;
}

/** Timing below the documented floors, in words (for the certificate). */
export function timingBelowFloor(ixit: Ixit): string[] {
  const out: string[] = [];
  if (ixit.timing.quietPeriodMs < QUIET_FLOOR_MS) {
    out.push(
      `IXIT timing.quietPeriodMs ${ixit.timing.quietPeriodMs} ms is below the documented floor of ${QUIET_FLOOR_MS} ms: absence was asserted over a shorter period`,
    );
  }
  const asked = ixit.timing.settleWindowMs ?? ixit.timing.quietPeriodMs;
  if (asked < SETTLE_FLOOR_MS)
    out.push(`IXIT settle window ${asked} ms is below the floor of ${SETTLE_FLOOR_MS} ms; the run used ${SETTLE_FLOOR_MS} ms`);
  const horizon = retryHorizonOf(ixit);
  if (horizon < RETRY_HORIZON_FLOOR_MS) {
    out.push(
      `IXIT timing.retryHorizonMs ${horizon} ms is below the floor of ${RETRY_HORIZON_FLOOR_MS} ms: the delivery-fault scenarios (an SP away for 1 s) did not apply`,
    );
  }
  return out;
}
