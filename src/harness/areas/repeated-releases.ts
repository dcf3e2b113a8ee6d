/**
 * dc.release-one-message over everything a scenario received. The step that says a device is
 * told to release all with one message looks within the action's quiet period; a repeated `*`
 * release that arrives after it (a loaded machine, a server that repeats it later) would pass
 * unexamined. So the step leaves its check here, and the settled judgement (and every late
 * re-judgement) counts again every release of that type the device received from the action on,
 * up to the next action. Derived (warns), as the step's own check; the same count gives the same
 * message, so a release warned about by the step is not warned about twice.
 */
import type { MockDevice } from '../../../mocks/device';
import type { ReleaseType } from '../../catalog/protocol';
import { IE } from '../../catalog/protocol';
import type { Finding } from '../judgement';
import type { TraceEntry } from '../trace';
import { releasedId } from './device-outcome';
import type { IcsView } from './judge-view';

/** A step's check that one device change released all with one message of `type`. */
export interface OneReleaseCheck {
  device: Pick<MockDevice, 'name' | 'received'>;
  type: ReleaseType;
  /** Trace seq at which the action began. */
  since: number;
}

/** The id IE of a release and the clause of its table (6.2.3.3, 6.2.6.1). */
export function releaseTable(type: ReleaseType): { ie: string; clause: string } {
  return type === 'DPE_Group_Release' ? { ie: IE.Group_ID, clause: '6.2.3.3' } : { ie: IE.PolicyID, clause: '6.2.6.1' };
}

/** The releases of `type` the device received from the action on, up to the next action (`until`). */
export function releasesOf(c: OneReleaseCheck, until = Number.POSITIVE_INFINITY): TraceEntry[] {
  return c.device.received.filter((e) => e.seq >= c.since && e.seq < until && e.messageType === c.type);
}

/** The finding when `got` is not one message; undefined when it is. */
export function oneReleaseFinding(s: IcsView, c: OneReleaseCheck, got: TraceEntry[]): Finding | undefined {
  if (got.length === 1) return undefined;
  const { ie, clause } = releaseTable(c.type);
  return {
    requirement: 'dc.release-one-message',
    message: `${c.device.name} received ${got.length} ${c.type} (IE ${ie} ${JSON.stringify(got.map((e) => releasedId(s, e)))}) for one device change; one with "*" says it all (clause ${clause})`,
    entries: got,
  };
}

/** Every step's one-release check, counted again over all the scenario has received. */
export function repeatedReleases(
  s: IcsView & { readonly oneReleaseChecks: readonly OneReleaseCheck[]; readonly actionMarks: readonly number[] },
): Finding[] {
  return s.oneReleaseChecks.flatMap((c) => {
    const untilNextAction = s.actionMarks.find((m) => m > c.since);
    const f = oneReleaseFinding(s, c, releasesOf(c, untilNextAction));
    return f ? [f] : [];
  });
}
