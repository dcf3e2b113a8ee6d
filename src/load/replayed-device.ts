/**
 * A mock device of a load cohort as its recorded history rebuilds it (./model.ts): the DPE state
 * the messages it took leave (mocks/dpe-state.ts), what it received, its accepted registrations
 * and the Client ID it holds. A trigger is not followed in a replay.
 */
import type { ReleaseSpelling } from '../../mocks/dpe-state';
import { DpeClientState } from '../../mocks/dpe-state';
import type { TraceEntry } from '../harness/trace';
import { bodyOf } from '../harness/expect';

export class ReplayedDevice {
  readonly state: DpeClientState;
  readonly received: TraceEntry[] = [];
  readonly accepted: Array<{ mark: number; clientId: string }> = [];
  clientId: string | undefined = undefined;
  /** Messages taken, by Message-ID, content and label: one delivered again is a retry. */
  private readonly taken = new Set<string>();

  constructor(
    readonly name: string,
    spelling: ReleaseSpelling,
  ) {
    this.state = new DpeClientState(spelling);
  }

  /**
   * Takes a message the target sent the device, as a client does (mocks/device.ts); false when it
   * is a retry. Binding: delivery is at least once — the same message again (its Message-ID,
   * content and label) is a retry of one whose answer the target did not get in time, and a
   * client takes it once.
   */
  take(e: TraceEntry): boolean {
    if (bodyOf(e)['Message-ID'] !== undefined) {
      const key = `${JSON.stringify(e.body)}\u0000${e.headers?.['DPE-Client-ID'] ?? ''}`;
      if (this.taken.has(key)) return false;
      this.taken.add(key);
    }
    this.received.push(e);
    this.state.apply(e.messageType, e.body, e.seq);
    return true;
  }
}
