/**
 * What the settled judgements of devices and SPs (./device-change.ts, ./client-id.ts) read of a
 * scenario: the oracle, what each party received or was told, and the trace. A Scenario is one;
 * a cohort of the load mode replayed from its recorded history is another (src/load/model.ts), so
 * the load judges devices and SPs with the very checks the suite uses.
 */
import type { MockDevice } from '../../../mocks/device';
import type { Setting } from '../../../mocks/dpe-state';
import type { MockSp } from '../../../mocks/service-provider';
import type { SpKnowledge } from '../../../mocks/sp-knowledge';
import type { Ics } from '../../config/ics';
import type { Oracle, User } from '../oracle';
import type { EntryMatch, TraceEntry } from '../trace';

/** A device as the judgements read it: its name, its DPE state, what it received, its accepted registrations. */
export type JudgedDevice = Pick<MockDevice, 'name' | 'state' | 'received' | 'accepted'>;

/** An SP as the judgements read it. */
export type JudgedSp = Pick<MockSp, 'alias' | 'name'>;

/** The ICS the readings of errata follow. */
export interface IcsView {
  readonly ctx: { readonly ics: Ics };
}

export interface DeviceJudgeView extends IcsView {
  readonly oracle: Oracle;
  /** Settings only rejected requests carried (finding one on a device is a side effect of a rejection). */
  readonly rejectedSettings: readonly Setting[];
  readonly trace: { readonly entries: readonly TraceEntry[] };
  allDevices(): JudgedDevice[];
}

export interface SpJudgeView extends IcsView {
  readonly oracle: Oracle;
  readonly trace: { readonly entries: readonly TraceEntry[] };
  allSps(): JudgedSp[];
  knowledgeOf(alias: string): SpKnowledge;
  /** Reports to `sp` about `user`. */
  reportsAbout(sp: JudgedSp, user: User): EntryMatch;
}
