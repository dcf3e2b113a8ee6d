/**
 * A mock DPE Client: a device with a device identity (IMEI) that may hold a SIM (a user
 * identity). It registers through the binding, remembers the Client ID it was given, answers
 * every server-to-client message with 204, and registers again when the server triggers it (6.1).
 */
import { IE, message, received } from '../src/catalog/protocol';
import type { Answer, Target } from '../src/harness/target';
import type { Trace, TraceEntry } from '../src/harness/trace';
import type { ReleaseSpelling } from './dpe-state';
import { DpeClientState } from './dpe-state';
import type { Party, Responder } from './parties';

export interface RegisterOptions {
  /** Identities as IEs (default) or as network headers X-DPE-* (8.1.1). */
  identityVia?: 'ies' | 'network';
  /** IP address a proxy would forward (X-Forwarded-For); never an identity (8.1.1 note). */
  ipAddress?: string;
  /** Leave out the user identity even though a SIM is held (e.g. a SIM-less registration). */
  withoutUser?: boolean;
  /** Leave out the device identity (e.g. a client that does not disclose its IMEI); 8.1.1, erratum E17. */
  withoutDevice?: boolean;
  /** Also present the Client ID from the last registration, as a client does. */
  presentClientId?: boolean;
  /** A user identity the network asserts (X-DPE-User-Identity) on top of whatever the IEs say. */
  networkUserIdentity?: string;
}

export class MockDevice implements Party {
  /** The user identity of the SIM in the device, null when it holds none. */
  sim: string | null = null;
  clientId: string | undefined;
  registrations = 0;
  lastAnswer: Answer | undefined;
  respond?: Responder;
  /** The groups and policies the device holds, from every message it received (arrival order). */
  readonly state: DpeClientState;
  /** Every server-to-client message it received. */
  readonly received: TraceEntry[] = [];
  /** Every Client ID a registration answer gave this device, in order. */
  readonly givenIds: string[] = [];
  /** Accepted registrations: the trace seq their request got (`mark`) and the Client ID answered. */
  readonly accepted: Array<{ mark: number; clientId: string }> = [];
  private messageCounter = 0;
  private pendingReregistration: Promise<Answer | undefined> | undefined;

  constructor(
    readonly name: string,
    readonly deviceIdentity: string,
    readonly notifyUri: string,
    private readonly target: Target,
    private readonly trace: Trace,
    spelling?: ReleaseSpelling,
  ) {
    this.state = new DpeClientState(spelling);
  }

  async register(o: RegisterOptions = {}): Promise<Answer> {
    const messageId = `${this.deviceIdentity.slice(-4)}-${++this.messageCounter}`;
    const user = o.withoutUser ? null : this.sim;
    const viaIes = o.identityVia !== 'network';
    const body = message('DPE_Registration_Request', {
      [IE.MessageID]: messageId,
      [IE.NotifyURI]: this.notifyUri,
      ...(viaIes && user ? { [IE.UserIdentity]: user } : {}),
      ...(viaIes && !o.withoutDevice ? { [IE.DeviceIdentity]: this.deviceIdentity } : {}),
      ...(o.presentClientId !== false && this.clientId ? { [IE.ClientID]: this.clientId } : {}),
    });
    const headers: Record<string, string> = {};
    if (!viaIes) {
      if (user) headers['X-DPE-User-Identity'] = user;
      if (!o.withoutDevice) headers['X-DPE-Device-Identity'] = this.deviceIdentity;
    }
    if (o.networkUserIdentity) headers['X-DPE-User-Identity'] = o.networkUserIdentity;
    if (o.ipAddress) headers['X-Forwarded-For'] = o.ipAddress;
    const mark = this.trace.mark();
    const answer = await this.target.post('/dpe-1', body, this.trace, {
      from: this.name,
      headers,
      answerKey: 'DPE_Registration_Response',
    });
    this.registrations++;
    this.lastAnswer = answer;
    const cid = received('DPE_Registration_Response', answer.body)[IE.ClientID];
    if (answer.status === 200 && typeof cid === 'string') {
      this.clientId = cid;
      this.givenIds.push(cid);
      this.accepted.push({ mark, clientId: cid });
    }
    return answer;
  }

  /** Applies what arrived to the device's DPE state; a trigger (6.1) makes the client resend its request. */
  onMessage(entry: TraceEntry): void {
    this.received.push(entry);
    this.state.apply(entry.messageType, entry.body, entry.seq);
    if (entry.messageType === 'DPE_Registration_Trigger' && entry.problems.length === 0) {
      this.pendingReregistration = this.register().catch(() => undefined);
    }
  }

  /** The answer to the registration a trigger started (undefined: none started, or it failed). */
  async reregistered(): Promise<Answer | undefined> {
    return this.pendingReregistration;
  }
}
