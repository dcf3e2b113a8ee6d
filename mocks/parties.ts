/**
 * Who the mock network delivers to, and what it keeps of a scenario: the contract between the
 * network (mocks/network.ts) and the devices, SPs and scenarios it serves.
 */
import type { Trace, TraceEntry } from '../src/harness/trace';
import type { Reaction } from './sp-faults';

/** What a party does with a message delivered to it: a status (2xx unless a test says otherwise), a reset, or no answer. */
export type Responder = (body: unknown) => Reaction;

export interface Party {
  /** Name in the trace: "phone A", "maps provider". */
  readonly name: string;
  readonly respond?: Responder;
  /** Called after the answer was sent, e.g. a device re-registering on a trigger. */
  onMessage?(entry: TraceEntry): void;
}

export interface ScenarioRoute {
  id: string;
  trace: Trace;
  /** Devices by the key in their Notify-URI path. */
  devices: Map<string, Party>;
  /** The user identities and Client IDs this scenario has seen (to attribute SP messages). */
  identities(): Iterable<string>;
  /** A message delivered to an SP on this scenario's behalf, with the status the SP answered. */
  onSpMessage(sp: Party, entry: TraceEntry, status: number): void;
  /** Set once the scenario's last step and settle window are over: what arrives then is late. */
  ended: boolean;
  /** Called for every message that arrives after the scenario ended (it is judged again). */
  onLate(entry: TraceEntry): void;
}

/** A message no scenario can own: a loud failure (msw's onUnhandledRequest: 'error'), never a silent 404. */
export interface Unattributed {
  at: string;
  path: string;
  body: string;
  why: string;
  /** The scenario that was running when it arrived, if any (it fails with it). */
  during?: string;
}
