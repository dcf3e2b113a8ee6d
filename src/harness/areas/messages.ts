/**
 * Checks of features/messages (the message tables 6.2.3.3, 6.2.6.1, 6.3.6.2, 6.3.7): one message
 * against the rows of its table, and a release of "all" said with `*`.
 */
import type { MockDevice } from '../../../mocks/device';
import type { MockSp } from '../../../mocks/service-provider';
import { messageDef, RELEASE_MESSAGES } from '../../catalog/messages';
import { IE, isReleaseType } from '../../catalog/protocol';
import { erratumReading } from '../../requirements/applicability';
import type { IeRow, IeTypeWord } from '../expect';
import { bodyOf, checkIes, ConformanceFailure } from '../expect';
import type { Finding } from '../judgement';
import type { User } from '../oracle';
import type { Scenario } from '../scenario';
import type { TraceEntry } from '../trace';
import type { ClientIdChecks } from './client-id-checks';
import { releasedId, wildcardReleaseSince } from './device-outcome';
import type { OneReleaseCheck } from './repeated-releases';
import { oneReleaseFinding, releasesOf, releaseTable } from './repeated-releases';

/** Messages from the target that break the message catalog: each is a failure of the table it breaks. */
export function judgeMalformed(s: Pick<Scenario, 'malformed'>): Finding[] {
  return s.malformed().map((e) => ({
    requirement: tableRequirement(e.messageType),
    message: `#${e.seq} ${e.from} -> ${e.to}: ${e.problems.map((p) => `${p.message}: IE ${p.ie ?? '-'} ${p.detail} (clause ${p.clause})`).join('; ')}`,
    entries: [e],
  }));
}

const TABLE_REQUIREMENT: Record<string, string> = {
  DPE_Group_Release: 'msg.group-release.ies',
  DPE_Policy_Release: 'msg.policy-release.ies',
  DPE_Client_ID_Report: 'msg.client-id-report.ies',
  DPE_Client_ID_Response: 'msg.client-id-response.ies',
};
const tableRequirement = (type: string) => TABLE_REQUIREMENT[type] ?? 'binding.error-object';

export class MessageChecks {
  constructor(
    private readonly s: Scenario,
    private readonly clientId: ClientIdChecks,
  ) {}

  /** The message a table step looks at: one a device receives, the last answer, or a report. */
  private async messageFor(source: {
    device?: MockDevice;
    type: string;
    sp?: MockSp;
    user?: User;
  }): Promise<{ body: Record<string, unknown>; entries: TraceEntry[] }> {
    const s = this.s;
    if (source.device) {
      const e = await s.trace.waitFor(s.toDevice(source.device, [source.type]), s.since, s.deadline);
      if (!e) s.missed(source.device.name, source.type);
      if (!e)
        throw new ConformanceFailure(
          `${source.device.name} received no ${source.type} within ${s.deadline} ms:\n${s.trace.describe((x) => x.to === source.device!.name, s.since)}`,
        );
      return { body: bodyOf(e), entries: [e] };
    }
    if (source.sp && source.user) return this.clientId.reportFor(source.sp, source.user);
    const a = s.lastAnswer;
    if (a?.status !== 200)
      throw new ConformanceFailure(`${source.type} expected as the answer, got ${a?.status} ${JSON.stringify(a?.body)}`);
    return { body: (a.body ?? {}) as Record<string, unknown>, entries: [] };
  }

  /**
   * A message table of the CR: every row names a mandatory IE, its type in the feature's words and
   * the value it must have ("any", "echoed", "null", "<device>'s Client ID", "<user>'s identity" or a literal).
   */
  async expectMessageTable(
    source: { device?: MockDevice; type: string; sp?: MockSp; user?: User },
    rows: Array<Record<string, string>>,
    requirement: string,
  ): Promise<void> {
    const s = this.s;
    await s.check(requirement, async () => {
      const msg = await this.messageFor(source);
      const def = messageDef(source.type);
      const emptyIsNull = erratumReading(s.ctx.ics, 'E47') === 'lenient';
      const ieRows: IeRow[] = rows.map((r) => {
        const ie = r.IE ?? '';
        const type = r.type as IeTypeWord;
        const ieDef = def.ies.find((x) => x.name === ie);
        if (!ieDef) throw new Error(`the message catalog has no IE ${ie} in ${def.type}`);
        const lenient = ieDef.lenient && erratumReading(s.ctx.ics, ieDef.lenient.erratum) === 'lenient' ? ieDef.lenient : undefined;
        const value = this.resolveValue(r.value ?? 'any', type);
        return {
          ie,
          type,
          value,
          altNames: lenient?.name ? [lenient.name] : [],
          altValues: [...(lenient?.value ? [lenient.value] : []), ...(value === null && emptyIsNull ? [[]] : [])],
          emptyIsNull,
        };
      });
      checkIes(def.type, msg.body, def.clause, ieRows, msg.entries);
    });
  }

  private resolveValue(word: string, type: IeTypeWord): unknown {
    const s = this.s;
    const bag = type.startsWith('bag');
    if (word === 'any') return undefined;
    if (word === 'null') return null;
    // the request's own Message-ID (msg.client-id-response.echo-message-id)
    if (word === 'echoed') {
      if (!s.lastRequest) throw new Error('no request to echo');
      return s.lastRequest[IE.MessageID];
    }
    const cid = /^(.+)'s Client ID$/.exec(word);
    if (cid) return bag ? [s.clientIdOf(s.device(cid[1]!))] : s.clientIdOf(s.device(cid[1]!));
    const ident = /^(.+)'s identity$/.exec(word);
    if (ident) return bag ? [s.user(ident[1]!).identity] : s.user(ident[1]!).identity;
    return word;
  }

  /**
   * 6.2.3.3 / 6.2.6.1: "all" is said with `*` (CR table); releasing all with one message rather
   * than listing ids or repeating it is the harness's reading of "the message" (derived: warns).
   */
  async expectSingleWildcardRelease(device: MockDevice, type: string): Promise<void> {
    if (!isReleaseType(type)) throw new Error(`${type} is not a release message (${RELEASE_MESSAGES.join(', ')})`);
    const s = this.s;
    const { ie, clause } = releaseTable(type);
    const wildcard = type === 'DPE_Group_Release' ? 'msg.group-release.wildcard' : 'msg.policy-release.wildcard';
    await s.check(wildcard, async () => {
      await s.trace.waitUntil(() => wildcardReleaseSince(s, device, type, s.since) !== undefined, s.deadline);
      const got = device.received.filter((e) => e.seq >= s.since && e.messageType === type);
      if (!wildcardReleaseSince(s, device, type, s.since)) {
        throw new ConformanceFailure(
          `${device.name} received ${got.length} ${type} with IE ${ie} ${JSON.stringify(got.map((e) => releasedId(s, e)))}; releasing all is said with ${ie} "*" (clause ${clause})`,
          got,
        );
      }
    });
    const one: OneReleaseCheck = { device, type, since: s.since };
    // counted again once the scenario has settled, and on late messages (./repeated-releases.ts)
    s.oneReleaseChecks.push(one);
    await s.check('dc.release-one-message', async () => {
      await s.quietAfterAction();
      const f = oneReleaseFinding(s, one, releasesOf(one));
      if (f) throw new ConformanceFailure(f.message, f.entries);
    });
  }
}
