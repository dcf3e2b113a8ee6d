/**
 * Fault switches of a mock Service Provider: how it treats the reports the target sends it while
 * a fault is on, to check that delivery is at-least-once (binding, DPE-2 server to SP).
 *
 *   refuse       answers a non-2xx status (503 unless told otherwise)
 *   reset        resets the connection instead of answering
 *   hang         takes the report and never answers it (the connection stays open until the
 *                scenario ends, so only a target that times its attempts out tries again)
 *   unreachable  its port is closed: connections are refused (mocks/own-port.ts closes it)
 *
 * A fault lasts a time counted from when it is switched on, or a number of reports. Once it is
 * over, the SP accepts every report again.
 */

/** What the mock network does with one message to the SP: answer this status, reset, or never answer. */
export type Reaction = number | 'reset' | 'hang';

export type SpFaultKind = 'refuse' | 'reset' | 'hang' | 'unreachable';

export interface SpFault {
  kind: SpFaultKind;
  /** How long it lasts from when it is switched on (ms). */
  forMs?: number;
  /** How many reports it affects (for refuse, reset, hang). */
  times?: number;
  /** The status a refusal answers. */
  status?: number;
}

const ACCEPT = 204;

/** The words of the feature files for each fault ("Given the maps provider resets every connection for 1 second"). */
export const SP_FAULT_WORDS: Readonly<Record<string, SpFaultKind>> = {
  'refuses every report': 'refuse',
  'resets every connection': 'reset',
  'leaves every report unanswered': 'hang',
  'is unreachable': 'unreachable',
};

/** Words for a fault, for messages: "refused every report for 1000 ms". */
export function describeFault(f: SpFault): string {
  const what = {
    refuse: `refused every report (${f.status ?? 503})`,
    reset: 'reset every connection',
    hang: 'left every report unanswered',
    unreachable: 'was unreachable (its port closed)',
  }[f.kind];
  const how = f.times !== undefined ? `${f.times} time(s)` : `for ${f.forMs ?? 0} ms`;
  return `${what} ${how}`;
}

/** The one fault a mock SP may have on at a time, and the reaction it calls for now. */
export class FaultSwitch {
  private on: { fault: SpFault; until: number; left: number } | undefined;

  constructor(private readonly clock: () => number = Date.now) {}

  set(fault: SpFault): void {
    if (fault.forMs === undefined && fault.times === undefined)
      throw new Error(`a fault of the mock SP needs a duration or a count: ${JSON.stringify(fault)}`);
    if (fault.kind === 'unreachable' && fault.times !== undefined)
      throw new Error('an unreachable SP never sees the reports, so it cannot count them: give a duration');
    this.on = { fault, until: fault.forMs === undefined ? Infinity : this.clock() + fault.forMs, left: fault.times ?? Infinity };
  }

  clear(): void {
    this.on = undefined;
  }

  /** The fault that is on now, if any (a fault whose time or count ran out is off). */
  active(): SpFault | undefined {
    const on = this.on;
    if (!on) return undefined;
    if (this.clock() >= on.until || on.left <= 0) {
      this.on = undefined;
      return undefined;
    }
    return on.fault;
  }

  /** The reaction to one report arriving now; counts it against a fault of a number of reports. */
  reactToReport(): Reaction {
    const f = this.active();
    if (!f || f.kind === 'unreachable') return ACCEPT;
    this.on!.left--;
    return f.kind === 'refuse' ? (f.status ?? 503) : f.kind;
  }
}
