/**
 * Checks of features/registration (6.1, 8.1.1 and the binding's registration): the answer a
 * registration got, the Client IDs devices were given, and server-driven registration.
 */
import type { MockDevice } from '../../../mocks/device';
import { IE, received } from '../../catalog/protocol';
import { checkNoClientIdOnTwoDevices, ConformanceFailure } from '../expect';
import type { Scenario } from '../scenario';

export class RegistrationChecks {
  constructor(private readonly s: Scenario) {}

  /** 8.1.1: the last registration of `device` was answered 200 with a Client ID (new or kept, when asked). */
  expectRegistrationAnswer(device: MockDevice, which?: 'new' | 'same'): Promise<void> {
    const s = this.s;
    const policy = s.ctx.ics.clientIdPolicy;
    // 'same' judges policy.per-user-and-device.same-id or policy.per-device.keeps-id, by the declared policy
    return s.check(
      which === 'new'
        ? newIdRequirement(s, device)
        : which === 'same'
          ? `policy.${policy}.${policy === 'per-device' ? 'keeps-id' : 'same-id'}`
          : 'reg.response-client-id',
      () => {
        const a = device.lastAnswer;
        if (a?.status !== 200) {
          throw new ConformanceFailure(
            `the registration of ${device.name} was answered ${a?.status} ${JSON.stringify(a?.body)}, expected 200 with DPE_Registration_Response (clause 8.1.1)`,
            [],
            'reg.response-client-id',
          );
        }
        if (a.problems.length) {
          throw new ConformanceFailure(
            `DPE_Registration_Response is malformed: ${a.problems.map((p) => `IE ${p.ie ?? '?'} ${p.detail}`).join('; ')} (clause 8.1.1)`,
            [],
            'reg.response-client-id',
          );
        }
        const id = device.clientId!;
        if (which === 'same' && id !== s.previousClientIdOf(device)) {
          const before = s.previousClientIdOf(device);
          throw new ConformanceFailure(
            `${device.name} was given Client ID ${id}, expected it to keep ${before} (clause 6.1, Client ID policy ${policy})`,
          );
        }
        // a new Client ID is due (dc.new-client-id; policy.per-registration.new-id, policy.per-user-and-device.new-id-on-change)
        if (which === 'new' && !s.answeredNewId.get(device.name)) {
          throw new ConformanceFailure(
            `${device.name} was given Client ID ${id}, which this scenario had seen before; a new one was due (clause ${newIdRequirement(s, device) === 'dc.new-client-id' ? '8.2.2' : '6.1'}, Client ID policy ${policy})`,
          );
        }
      },
    );
  }

  /** Two devices hold two different Client IDs (clause 6.1: a unique identifier). */
  expectDistinctClientIds(a: MockDevice, b: MockDevice): Promise<void> {
    const s = this.s;
    return s.check('reg.client-id-unique', () => {
      if (s.clientIdOf(a) === s.clientIdOf(b)) {
        throw new ConformanceFailure(
          `${a.name} and ${b.name} were given the same Client ID ${s.clientIdOf(a)}: two devices, two Client IDs (clause 6.1)`,
        );
      }
    });
  }

  /** binding: the last answer carries the Message-ID of the request it answers. */
  expectEchoedMessageId(): Promise<void> {
    const s = this.s;
    return s.check('reg.response-echoes-message-id', () => {
      const sent = s.lastRequest;
      if (!sent) throw new Error('no request was sent');
      const got = received('DPE_Registration_Response', s.lastAnswer?.body)[IE.MessageID];
      if (got !== sent[IE.MessageID]) {
        throw new ConformanceFailure(
          `the answer's IE Message-ID is ${JSON.stringify(got)}, expected the request's ${JSON.stringify(sent[IE.MessageID])} echoed`,
        );
      }
    });
  }

  /** 6.1: no Client ID answered in this scenario went to two devices. */
  expectNoClientIdOnTwoDevices(): Promise<void> {
    const s = this.s;
    if (s.given.length < 2) throw new Error('fewer than two registrations were answered: nothing to compare');
    return s.check('reg.client-id-unique', () => checkNoClientIdOnTwoDevices(s.given));
  }

  /** 8.2.2: the device was given a Client ID that no other device was given in this scenario. */
  async expectOwnClientId(device: MockDevice): Promise<void> {
    await this.expectRegistrationAnswer(device);
    await this.s.check('dc.new-client-id', () => checkNoClientIdOnTwoDevices(this.s.given));
  }

  /** 6.1: `device` was sent DPE_Registration_Trigger, labelled with its Client ID, and registered again. */
  async expectTriggeredRegistration(device: MockDevice): Promise<void> {
    const s = this.s;
    await s.check('reg.server-driven', async () => {
      const clientId = s.previousClientIdOf(device);
      const trigger = await s.trace.waitFor(s.toDevice(device, ['DPE_Registration_Trigger']), s.since, s.deadline);
      if (!trigger) {
        s.missed(device.name, 'DPE_Registration_Trigger');
        throw new ConformanceFailure(
          `${device.name} received no DPE_Registration_Trigger within ${s.deadline} ms (clause 6.1). What reached it:\n${s.trace.describe((x) => x.to === device.name, s.since)}`,
        );
      }
      if (trigger.headers?.['DPE-Client-ID'] !== clientId) {
        throw new ConformanceFailure(
          `DPE_Registration_Trigger (#${trigger.seq}) is labelled DPE-Client-ID ${JSON.stringify(trigger.headers?.['DPE-Client-ID'] ?? null)}, expected ${clientId} (binding)`,
          [trigger],
          'dc.addressed-to-current-client',
        );
      }
      const answer = await s.devices.followTriggeredRegistration(device);
      if (!answer)
        throw new ConformanceFailure(
          `${device.name} received DPE_Registration_Trigger (#${trigger.seq}) but its new registration got no answer (clause 6.1)`,
          [trigger],
        );
    });
  }
}

/**
 * The requirement a new Client ID is due by: a device change's or a first registration's (8.2.2),
 * or — for a re-registration that changed nothing — the declared policy's (6.1): a failure is
 * filed under the rule it breaks.
 */
function newIdRequirement(s: Scenario, device: MockDevice): string {
  if (s.oracle.expectationOf(device.name).basis !== 'unchanged') return 'dc.new-client-id';
  const policy = s.ctx.ics.clientIdPolicy;
  if (policy === 'per-registration') return 'policy.per-registration.new-id';
  if (policy === 'per-user-and-device') return 'policy.per-user-and-device.new-id-on-change';
  return 'dc.new-client-id';
}
