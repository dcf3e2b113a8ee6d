/**
 * The World: one per scenario. It holds the scenario (parties, oracle, trace, judgement:
 * src/harness/scenario.ts) and the checks of each feature area (src/harness/areas); steps call
 * one method of one of them. The worker-wide harness context is made once per worker in hooks.ts.
 */
import type { IWorldOptions } from '@cucumber/cucumber';
import { World, setWorldConstructor } from '@cucumber/cucumber';
import type { Scenario } from '../../src/harness/scenario';
import { ClientIdChecks } from '../../src/harness/areas/client-id-checks';
import { DeliveryChecks } from '../../src/harness/areas/delivery';
import { DeviceChangeChecks } from '../../src/harness/areas/device-change';
import { MessageChecks } from '../../src/harness/areas/messages';
import { RegistrationChecks } from '../../src/harness/areas/registration';
import { RobustnessChecks } from '../../src/harness/areas/robustness';
import { IsolationChecks } from '../../src/harness/areas/sp-isolation';

export interface SuiteParameters {
  /** Base URL of an external target; absent = the embedded reference server. */
  target?: string;
  /** Path of the ICS file; absent = the reference server's ICS for `policy`. */
  ics?: string;
  /** Path of the IXIT file; absent = the defaults of src/config/ixit.ts. */
  ixit?: string;
  /** Client ID policy of the embedded reference server (when no ICS file is given). */
  policy?: string;
  /** Name of a faulty or variant embedded server (mutation runs). */
  variant?: string;
}

interface Areas {
  registration: RegistrationChecks;
  deviceChange: DeviceChangeChecks;
  clientId: ClientIdChecks;
  messages: MessageChecks;
  robustness: RobustnessChecks;
  delivery: DeliveryChecks;
  isolation: IsolationChecks;
}

export class DpeWorld extends World<SuiteParameters> {
  private current: { s: Scenario; areas: Areas } | undefined;

  constructor(options: IWorldOptions<SuiteParameters>) {
    super(options);
  }

  private get it(): { s: Scenario; areas: Areas } {
    if (!this.current) throw new Error('the scenario was not set up (Before hook)');
    return this.current;
  }

  get s(): Scenario {
    return this.it.s;
  }

  set s(scenario: Scenario) {
    const clientId = new ClientIdChecks(scenario);
    this.current = {
      s: scenario,
      areas: {
        registration: new RegistrationChecks(scenario),
        deviceChange: new DeviceChangeChecks(scenario),
        clientId,
        messages: new MessageChecks(scenario, clientId),
        robustness: new RobustnessChecks(scenario),
        delivery: new DeliveryChecks(scenario),
        isolation: new IsolationChecks(scenario),
      },
    };
  }

  get registration(): RegistrationChecks {
    return this.it.areas.registration;
  }
  get deviceChange(): DeviceChangeChecks {
    return this.it.areas.deviceChange;
  }
  get clientId(): ClientIdChecks {
    return this.it.areas.clientId;
  }
  get messages(): MessageChecks {
    return this.it.areas.messages;
  }
  get robustness(): RobustnessChecks {
    return this.it.areas.robustness;
  }
  get delivery(): DeliveryChecks {
    return this.it.areas.delivery;
  }
  get isolation(): IsolationChecks {
    return this.it.areas.isolation;
  }
}

setWorldConstructor(DpeWorld);
