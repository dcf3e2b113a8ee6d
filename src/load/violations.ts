/**
 * The invariants a load run checks over its history, and what breaking one looks like. Every
 * finding names the requirement it judges (src/requirements/catalog.ts), whose normative force
 * decides whether it is a violation (fails the run) or a warning, as in the suite.
 */
import type { HistoryEntry } from './history';

export const INVARIANTS = [
  {
    id: 'device-state',
    title:
      'every device change left the device in its user\'s state (the user\'s defined groups and policies, both "*" releases; the device a SIM left is sent none of them)',
  },
  { id: 'client-id-reports', title: 'every Client ID change reached each concerned SP (DPE_Client_ID_Report), and no other SP' },
  { id: 'client-id-unique', title: 'no Client ID is on two devices at once, and Client IDs follow the declared policy' },
  { id: 'order', title: 'per-destination order held (both releases before any set of a device change; a group before its policies)' },
  { id: 'lost', title: 'nothing was lost: every expected message arrived by the end of the drain, every request was answered' },
  { id: 'catalog', title: 'every message the target sent validated against the message catalog and is attributable' },
  { id: 'answers', title: 'every request was answered as the binding says (registration and query answers as the model expects)' },
] as const;

export type InvariantId = (typeof INVARIANTS)[number]['id'];

/** What a check found, before its force is known. */
export interface Finding {
  invariant: InvariantId;
  /** The requirement the check judges; absent: a rule of the binding without an id of its own (fails). */
  requirement?: string;
  message: string;
  /** The entries it is about. */
  entries: HistoryEntry[];
  /** The cohort it was found in (absent: across cohorts). */
  cohort?: string;
  /** One key per distinct problem: a problem found again at a later checkpoint is not reported twice. */
  key: string;
  /** `g` of the history position at which it was found. */
  at: number;
}

export interface Violation extends Omit<Finding, 'key'> {
  force: 'fails' | 'warns';
}
