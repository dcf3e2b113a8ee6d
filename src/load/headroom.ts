/**
 * The harness's own headroom during a load run. One process plays every mock device and SP, so
 * under enough load it answers the target's deliveries late itself: a message then looks late,
 * or a target times out an attempt and retries, because of the harness and not the target. The
 * event-loop delay of this process says by how much its answers lagged; a run whose delay went
 * past the delivery deadline cannot tell a late target from a late harness, and its timing
 * findings are reported as such (./report.ts).
 */
import type { IntervalHistogram } from 'node:perf_hooks';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Past a quarter of the delivery deadline the harness lags: a message that came in time may be
 * counted late (the figures say so). Past the whole deadline it is saturated: a target may have
 * timed out an attempt the harness did not answer, and given up on it, so what did not arrive in
 * time is no longer the target's alone.
 */
export const LAGGING_SHARE_OF_DEADLINE = 0.25;
const SAMPLE_MS = 10;

export interface HeadroomSummary {
  /** Event-loop delay of the harness process over the run (ms). */
  delayMs: { p50: number; p99: number; max: number };
  /** CPU time of the harness process ÷ wall time (1 = one core busy all the time). */
  cpuShare: number;
  /** The delay past which the harness lags (its lateness figures include its own), and seconds of the run in which it did. */
  laggingAtMs: number;
  laggingSeconds: number;
  /** The delay past which it is saturated (its timing findings may be its own): the delivery deadline. */
  saturatedAtMs: number;
  saturated: boolean;
}

// the histogram holds each sample's whole interval: its delay is what exceeds the resolution
const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - SAMPLE_MS) * 10) / 10);

export class Headroom {
  private readonly whole: IntervalHistogram = monitorEventLoopDelay({ resolution: SAMPLE_MS });
  private readonly second: IntervalHistogram = monitorEventLoopDelay({ resolution: SAMPLE_MS });
  private readonly cpu0 = process.cpuUsage();
  private readonly t0 = Date.now();
  private readonly laggingAtMs: number;
  private laggingSeconds = 0;
  private summary: HeadroomSummary | undefined;

  constructor(private readonly deliveryDeadlineMs: number) {
    this.laggingAtMs = Math.round(deliveryDeadlineMs * LAGGING_SHARE_OF_DEADLINE);
    this.whole.enable();
    this.second.enable();
  }

  /** Called once a second: counts the second when the harness lagged in it. */
  tick(): void {
    if (ms(this.second.max) >= this.laggingAtMs) this.laggingSeconds++;
    this.second.reset();
  }

  /** Ends the measurement (again: the same summary). */
  stop(): HeadroomSummary {
    if (this.summary) return this.summary;
    this.tick();
    this.whole.disable();
    this.second.disable();
    const cpu = process.cpuUsage(this.cpu0);
    const wallMs = Math.max(1, Date.now() - this.t0);
    const max = ms(this.whole.max);
    this.summary = {
      delayMs: { p50: ms(this.whole.percentile(50)), p99: ms(this.whole.percentile(99)), max },
      cpuShare: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100,
      laggingAtMs: this.laggingAtMs,
      laggingSeconds: this.laggingSeconds,
      saturatedAtMs: this.deliveryDeadlineMs,
      saturated: max >= this.deliveryDeadlineMs,
    };
    return this.summary;
  }
}
