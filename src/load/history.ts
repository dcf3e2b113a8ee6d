/**
 * The history of a load run: every request the mock devices and mock SPs sent, every answer, and
 * every message the target sent to a mock party, in the order they happened, with who is who
 * (the roster). The invariants (./invariants.ts) are checked over it once the load has drained;
 * while it runs, each cohort's model (./model.ts) follows its part of it live to pace the cohort.
 *
 * Each cohort records into a trace of its own (src/harness/trace.ts, the suite's trace: its
 * waits are event-driven), so a cohort's entries carry the seq numbers of that trace, which its
 * model and the suite's checks compare; `g` orders entries across cohorts.
 */
import { performance } from 'node:perf_hooks';
import type { Unattributed } from '../../mocks/parties';
import type { UserKind } from '../harness/oracle';
import type { TraceEntry } from '../harness/trace';
import { Trace } from '../harness/trace';

export interface HistoryEntry extends TraceEntry {
  /** The cohort whose trace holds it; `seq` is that trace's. */
  cohort: string;
  /** Position in the whole history, across cohorts (1, 2, …). */
  g: number;
  /** ms since the load started (fractional). */
  t: number;
  /** A message to an SP: the status the mock SP answered (absent: accepted). */
  answered?: number;
}

export interface RosterDevice {
  name: string;
  cohort: string;
  imei: string;
}

export interface RosterUser {
  name: string;
  cohort: string;
  identity: string;
  kind: UserKind;
}

export interface RosterSp {
  alias: string;
  /** Its party name in the traces ("maps provider"). */
  name: string;
}

/** Who is who: the parties the entries name. */
export interface Roster {
  devices: RosterDevice[];
  users: RosterUser[];
  sps: RosterSp[];
}

export interface LoadHistory {
  roster: Roster;
  /** In the order they were recorded (`g`). */
  entries: HistoryEntry[];
  /** Messages the mock network refused: nobody of the run could own them. */
  unattributed: Unattributed[];
}

export type EntryListener = (e: HistoryEntry) => void;

/**
 * The history is held in memory until the verdict (about a kilobyte a message): past this many
 * messages the cohorts start no new action and the run drains (the report says so). At 1000
 * devices on a 2-core machine that is some twenty minutes of load.
 */
export const MAX_HISTORY_ENTRIES = 1_000_000;

/**
 * Records every entry of every cohort's trace into one history. A message to an SP is complete
 * only once the SP has answered it (its `answered` status): it is passed on then.
 */
export class HistoryRecorder {
  readonly entries: HistoryEntry[] = [];
  private readonly started = performance.now();
  private readonly listeners = new Map<string, EntryListener>();
  private readonly anyListeners: EntryListener[] = [];

  constructor(private readonly limit = MAX_HISTORY_ENTRIES) {}

  /** The history holds as many messages as a run may keep: no new action should start. */
  full(): boolean {
    return this.entries.length >= this.limit;
  }

  /** ms since the recorder was made. */
  now(): number {
    return performance.now() - this.started;
  }

  /** A trace for `cohort` whose every entry is recorded here; `listener` hears the cohort's complete entries. */
  traceFor(cohort: string, listener: EntryListener, isSp: (party: string) => boolean): CohortTrace {
    this.listeners.set(cohort, listener);
    return new CohortTrace(cohort, this, isSp);
  }

  /** Hears every complete entry of every cohort (progress, the drain's wait). */
  onEntry(l: EntryListener): void {
    this.anyListeners.push(l);
  }

  /** @internal the trace's side of add(). */
  record(entry: TraceEntry, cohort: string, complete: boolean): HistoryEntry {
    const e = Object.assign(entry, { cohort, g: this.entries.length + 1, t: Math.round(this.now() * 1000) / 1000 }) as HistoryEntry;
    this.entries.push(e);
    if (complete) this.publish(e);
    return e;
  }

  /** The SP answered a message of the history: it is complete now. */
  answeredBySp(entry: TraceEntry, status: number): void {
    const e = entry as HistoryEntry;
    e.answered = status;
    this.publish(e);
  }

  private publish(e: HistoryEntry): void {
    this.listeners.get(e.cohort)?.(e);
    for (const l of this.anyListeners) l(e);
  }
}

/** The suite's trace, recording every entry into the run's history as well. */
export class CohortTrace extends Trace {
  constructor(
    readonly cohort: string,
    private readonly recorder: HistoryRecorder,
    private readonly isSp: (party: string) => boolean,
  ) {
    super();
  }

  override add(e: Omit<TraceEntry, 'seq' | 'at'>): TraceEntry {
    const entry = super.add(e);
    // a message to an SP is complete once the SP's answer is known (HistoryRecorder.answeredBySp)
    this.recorder.record(entry, this.cohort, !(entry.kind === 'notify' && this.isSp(entry.to)));
    return entry;
  }
}
