/**
 * What the scenario's devices do through the binding: SIMs put in and moved, registrations
 * (for the set-up, and the ones the checks look at), server-driven re-registration and defective
 * registrations. Each action keeps the model (the oracle) in step with what the answer said.
 */
import type { MockDevice, RegisterOptions } from '../../mocks/device';
import type { Setting } from '../../mocks/dpe-state';
import { IE, message } from '../catalog/protocol';
import type { RegistrationTrigger } from '../catalog/test-hooks';
import { HOOK_IE } from '../catalog/test-hooks';
import { badRegistration } from './bad-input';
import { ConformanceFailure, SetupFailure } from './expect';
import type { User } from './oracle';
import type { Scenario } from './scenario';
import type { Answer } from './target';

export class DeviceActions {
  /** What the device held when a trigger was asked for (the registration it causes keeps it). */
  private triggerSnapshot: Setting[] = [];

  constructor(private readonly s: Scenario) {}

  /** Puts `user`'s SIM in `device` (the harness's model; nothing is sent). A SIM is in one device at a time. */
  insertSim(user: User, device: MockDevice): void {
    if (user.kind === 'sim') {
      for (const d of this.s.allDevices()) {
        if (d !== device && d.sim === user.identity) {
          d.sim = null;
          this.s.oracle.simLeft(d.name, this.s.trace.mark(), d.state.settings());
        }
      }
    }
    device.sim = user.identity;
  }

  /** A registration whose outcome the steps check. */
  async register(device: MockDevice, o: RegisterOptions = {}): Promise<Answer> {
    const snapshot = device.state.settings();
    const mark = this.s.trace.mark();
    const answer = await device.register(o);
    this.noteAnswer(device, answer, o.withoutUser ? null : device.sim, mark, snapshot);
    return answer;
  }

  /** The model follows what a registration answer said. */
  private noteAnswer(device: MockDevice, answer: Answer, identity: string | null, mark: number, snapshot: Setting[]): void {
    this.s.lastAnswer = answer;
    this.s.lastRequest = this.s.trace.entries.filter((e) => e.kind === 'request' && e.from === device.name).at(-1)?.body as
      | Record<string, unknown>
      | undefined;
    if (answer.status !== 200 || !device.clientId) return;
    const id = device.clientId;
    this.s.answeredNewId.set(device.name, !this.s.issued.includes(id));
    if (!this.s.issued.includes(id)) this.s.issued.push(id);
    this.s.given.push({ device: device.name, clientId: id });
    this.s.oracle.registered(device.name, identity, mark, snapshot);
    this.s.notePredictions();
  }

  /**
   * Setup registration: what earlier set-up steps caused settles first (the registration takes
   * what the device holds as what it must keep); it must be answered with a Client ID, then the
   * device change it causes (if any) and the reports it owes settle before the scenario goes on,
   * so that they do not spill into the next action's checks. Nothing is judged here but the answer.
   */
  async registerForSetup(device: MockDevice, o: RegisterOptions = {}): Promise<void> {
    await this.s.settleSetup();
    const answer = await this.register(device, o);
    if (answer.status !== 200 || !device.clientId) {
      throw new SetupFailure(
        `the registration of ${device.name} was answered ${answer.status} ${JSON.stringify(answer.body)}, expected 200 with a Client-ID (clause 8.1.1)`,
      );
    }
    await this.s.settleSetup();
  }

  async registerSimForSetup(user: User, device: MockDevice, o: RegisterOptions = {}): Promise<void> {
    await this.insertSimForSetup(user, device);
    await this.registerForSetup(device, o);
  }

  /** A SIM put in a device in the set-up, once what earlier steps caused has settled (the device it leaves keeps what it holds then). */
  async insertSimForSetup(user: User, device: MockDevice): Promise<void> {
    await this.s.settleSetup();
    this.insertSim(user, device);
  }

  /** The SIM (or identity) of `user` goes into `to`, which then registers (8.2.2). */
  async moveSim(user: User, to: MockDevice): Promise<Answer> {
    await this.s.act();
    this.insertSim(user, to);
    return this.register(to);
  }

  async reregister(device: MockDevice, o: RegisterOptions = {}): Promise<Answer> {
    await this.s.act();
    return this.register(device, o);
  }

  async reregisterWithoutSim(device: MockDevice): Promise<Answer> {
    device.sim = null;
    return this.reregister(device);
  }

  /**
   * 6.1 server-driven registration: the upper tester asks the server to make `device` register
   * again (binding: POST /provisioning/registration-triggers); the mock device answers the
   * DPE_Registration_Trigger by registering, which followTriggeredRegistration records.
   */
  async triggerRegistration(device: MockDevice): Promise<void> {
    const clientId = this.s.clientIdOf(device);
    await this.s.act();
    this.triggerSnapshot = device.state.settings();
    const trigger: RegistrationTrigger = { [HOOK_IE.ClientID]: clientId };
    this.s.lastAnswer = await this.s.ctx.target.post('/provisioning/registration-triggers', trigger, this.s.trace, {
      from: 'upper tester',
    });
    if (this.s.lastAnswer.status !== 202) {
      throw new ConformanceFailure(
        `POST /provisioning/registration-triggers for ${device.name} (${clientId}) was answered ${this.s.lastAnswer.status} ${JSON.stringify(this.s.lastAnswer.body)}, ` +
          'expected 202 (binding; the ICS declares serverDrivenRegistration)',
      );
    }
  }

  /** The registration a trigger made `device` send, noted in the model like any other. */
  async followTriggeredRegistration(device: MockDevice): Promise<Answer | undefined> {
    const answer = await device.reregistered();
    if (answer) this.noteAnswer(device, answer, device.sim, this.s.since, this.triggerSnapshot);
    return answer;
  }

  /** Sends a defective registration from `device` carrying `user`'s SIM; the model is left as it was. */
  async sendBadRegistration(device: MockDevice, user: User, defect: string): Promise<void> {
    const bad = badRegistration(defect);
    const valid = message('DPE_Registration_Request', {
      [IE.MessageID]: `bad-${this.s.trace.mark()}`,
      [IE.UserIdentity]: user.identity,
      [IE.DeviceIdentity]: device.deviceIdentity,
      [IE.NotifyURI]: device.notifyUri,
    });
    const req = bad.make(valid, { maxBodyBytes: this.s.ctx.ixit.limits?.maxBodyBytes });
    await this.s.act();
    this.s.lastRequest = req.body;
    this.s.lastAnswer = await this.s.ctx.target.post('/dpe-1', req.body, this.s.trace, {
      from: device.name,
      raw: req.raw,
      contentType: req.contentType,
      chunked: req.chunked,
      tracedBody: req.tracedBody,
    });
    this.s.lastDefect = bad;
  }
}
