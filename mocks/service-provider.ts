/**
 * A mock Service Provider: queries Client IDs and defines groups and policies for users over
 * DPE-2 with its bearer token, and receives DPE_Client_ID_Report messages on its Notify-URI
 * (de-duplicated by Message-ID, as the binding asks of an SP). Its fault switches (./sp-faults.ts)
 * make it refuse, reset, leave unanswered or be unreachable for a while.
 */
import type { Answer, Target } from '../src/harness/target';
import type { Trace, TraceEntry } from '../src/harness/trace';
import type { Party, SpPort } from './network';
import { FaultSwitch, type Reaction, type SpFault } from './sp-faults';

export type ReportingPolicy = { Trigger: 'on-change' } | { Trigger: 'periodic'; Period: number };

export class MockSp implements Party {
  readonly name: string;
  readonly faults = new FaultSwitch();
  /** Its own port, when it has one (mocks/network.ts): only then can it be made unreachable. */
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
    const isReport = (body as Record<string, unknown> | null)?.['Message-Type'] === 'DPE_Client_ID_Report';
    return isReport ? this.faults.reactToReport() : 204;
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
      if (!this.port) throw new Error(`the ${this.name} shares the mock network's port, so it cannot be made unreachable alone (mockPort 0 gives it a port of its own)`);
      await this.port.closeFor(ms);
    }
    this.faults.set({ kind, forMs: ms });
  }

  /** The Message-ID of its next DPE-2 request. */
  nextMessageId(): number {
    return ++this.messageCounter;
  }

  private send(body: Record<string, unknown>, answerKey?: string): Promise<Answer> {
    return this.target.post('/dpe-2', { ...body, 'Message-ID': this.nextMessageId() }, this.trace, {
      from: this.name,
      headers: { Authorization: `Bearer ${this.token}` },
      answerKey,
    });
  }

  query(user: string): Promise<Answer> {
    return this.send({ 'Message-Type': 'DPE_Client_ID_Query', 'Query-Key': user }, 'DPE_Client_ID_Response');
  }

  /** Sends a message with its fields as given (for malformed-input checks). */
  sendRaw(body: Record<string, unknown>, headers: Record<string, string> = { Authorization: `Bearer ${this.token}` }): Promise<Answer> {
    return this.target.post('/dpe-2', body, this.trace, { from: this.name, headers });
  }

  /** Sends a body given as JSON text, with its token (for body-limit checks). */
  sendText(raw: string, o: { chunked?: boolean; tracedBody?: string; mayBeCutOff?: boolean } = {}): Promise<Answer> {
    return this.target.post('/dpe-2', undefined, this.trace, { from: this.name, headers: { Authorization: `Bearer ${this.token}` }, raw, ...o });
  }

  defineGroup(user: string, groupId: string, properties: string[]): Promise<Answer> {
    return this.send({ 'Message-Type': 'DPE_Group_Set', 'User-Identity': user, 'Group-ID': groupId, Properties: properties });
  }

  definePropertyPolicy(user: string, policyId: string, property: string, policy: ReportingPolicy): Promise<Answer> {
    return this.send({ 'Message-Type': 'DPE_Property_Policy_Set', 'User-Identity': user, 'Policy-ID': policyId, Property: property, Policy: policy });
  }

  defineGroupPolicy(user: string, policyId: string, groupId: string, policy: ReportingPolicy): Promise<Answer> {
    return this.send({ 'Message-Type': 'DPE_Group_Policy_Set', 'User-Identity': user, 'Policy-ID': policyId, 'Group-ID': groupId, Policy: policy });
  }

  /** Reports this SP received in `trace` since `since`, one per Message-ID. */
  reports(since = 1): TraceEntry[] {
    const seen = new Set<unknown>();
    return this.trace
      .filter((e) => e.kind === 'notify' && e.to === this.name && e.messageType === 'DPE_Client_ID_Report', since)
      .filter((e) => {
        const id = (e.body as Record<string, unknown>)['Message-ID'];
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
  }
}
