/**
 * A mock Service Provider: queries Client IDs and defines groups and policies for users over
 * DPE-2 with its bearer token, and receives DPE_Client_ID_Report messages on its Notify-URI
 * (de-duplicated by Message-ID, as the binding asks of an SP). Its fault switches (./sp-faults.ts)
 * make it refuse, reset, leave unanswered or be unreachable for a while.
 */
import type { Content, KeyIn, Malformed, MessageIn, PolicyValue } from '../src/catalog/protocol';
import { IE, messageTypeOf, numbered, received, unnumbered } from '../src/catalog/protocol';
import type { Answer, Target } from '../src/harness/target';
import type { Trace, TraceEntry } from '../src/harness/trace';
import type { SpPort } from './own-port';
import type { Party } from './parties';
import type { Reaction, SpFault } from './sp-faults';
import { FaultSwitch } from './sp-faults';

export type ReportingPolicy = PolicyValue;
type SpMessageKey = KeyIn<'sp-to-server'>;

export class MockSp implements Party {
  readonly name: string;
  readonly faults = new FaultSwitch();
  /** Its own port, when it has one (mocks/own-port.ts): only then can it be made unreachable. */
  port?: SpPort;
  private messageCounter = Math.floor(Math.random() * 1000) * 1000;
  /** Trace of the current scenario; set by the world for each scenario. */
  trace!: Trace;

  constructor(
    readonly alias: string,
    readonly spId: string,
    readonly token: string,
    private readonly target: Target,
  ) {
    this.name = `${alias} provider`;
  }

  /** Back to accepting every message (SPs outlive scenarios: each scenario starts from this). */
  acceptEverything(): void {
    this.faults.clear();
  }

  respond(body: unknown): Reaction {
    return messageTypeOf(body) === 'DPE_Client_ID_Report' ? this.faults.reactToReport() : 204;
  }

  /** Answers `status` to the next `count` DPE_Client_ID_Reports, then accepts again (retry checks). */
  turnAwayReports(count: number, status = 503): void {
    this.faults.set({ kind: 'refuse', times: count, status });
  }

  /**
   * Switches a fault on for `ms` from now. Unreachable closes its own port for that long; an SP
   * that shares the mock network's one port cannot be taken away alone (the caller checks first).
   */
  async faultFor(kind: SpFault['kind'], ms: number): Promise<void> {
    if (kind === 'unreachable') {
      if (!this.port)
        throw new Error(
          `the ${this.name} shares the mock network's port, so it cannot be made unreachable alone (mockPort 0 gives it a port of its own)`,
        );
      await this.port.closeFor(ms);
    }
    this.faults.set({ kind, forMs: ms });
  }

  /** The Message-ID of its next DPE-2 request. */
  nextMessageId(): number {
    return ++this.messageCounter;
  }

  /** Sends message `key` with its next Message-ID. */
  private send<K extends SpMessageKey>(key: K, ies: Content<K>, answerKey?: string): Promise<Answer> {
    return this.target.post('/dpe-2', numbered(unnumbered(key, ies), this.nextMessageId()), this.trace, {
      from: this.name,
      headers: { Authorization: `Bearer ${this.token}` },
      answerKey,
    });
  }

  query(user: string): Promise<Answer> {
    return this.send('DPE_Client_ID_Query', { [IE.QueryKey]: user }, 'DPE_Client_ID_Response');
  }

  /** Sends a message with its fields as given (for malformed-input checks). */
  sendRaw(
    body: MessageIn<'sp-to-server'> | Malformed,
    headers: Record<string, string> = { Authorization: `Bearer ${this.token}` },
  ): Promise<Answer> {
    return this.target.post('/dpe-2', body, this.trace, { from: this.name, headers });
  }

  /** Sends a body given as JSON text, with its token (for body-limit checks). */
  sendText(raw: string, o: { chunked?: boolean; tracedBody?: string; mayBeCutOff?: boolean } = {}): Promise<Answer> {
    return this.target.post('/dpe-2', undefined, this.trace, {
      from: this.name,
      headers: { Authorization: `Bearer ${this.token}` },
      raw,
      ...o,
    });
  }

  defineGroup(user: string, groupId: string, properties: string[]): Promise<Answer> {
    return this.send('DPE_Group_Set@DPE-2', { [IE.UserIdentity]: user, [IE.GroupID]: groupId, [IE.Properties]: properties });
  }

  definePropertyPolicy(user: string, policyId: string, property: string, policy: ReportingPolicy): Promise<Answer> {
    return this.send('DPE_Property_Policy_Set@DPE-2', {
      [IE.UserIdentity]: user,
      [IE.PolicyID]: policyId,
      [IE.Property]: property,
      [IE.Policy]: policy,
    });
  }

  defineGroupPolicy(user: string, policyId: string, groupId: string, policy: ReportingPolicy): Promise<Answer> {
    return this.send('DPE_Group_Policy_Set@DPE-2', {
      [IE.UserIdentity]: user,
      [IE.PolicyID]: policyId,
      [IE.GroupID]: groupId,
      [IE.Policy]: policy,
    });
  }

  /** Reports this SP received in `trace` since `since`, one per Message-ID. */
  reports(since = 1): TraceEntry[] {
    const seen = new Set<unknown>();
    return this.trace
      .filter((e) => e.kind === 'notify' && e.to === this.name && e.messageType === 'DPE_Client_ID_Report', since)
      .filter((e) => {
        const id = received('DPE_Client_ID_Report', e.body)[IE.MessageID];
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
  }
}
