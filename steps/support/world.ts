/**
 * The World: one per scenario. It holds the Scenario (src/harness/scenario.ts) that steps
 * call; the worker-wide harness context is made once per worker in hooks.ts.
 */
import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import type { Scenario } from '../../src/harness/scenario';

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

export class DpeWorld extends World<SuiteParameters> {
  private current: Scenario | undefined;

  constructor(options: IWorldOptions<SuiteParameters>) {
    super(options);
  }

  get s(): Scenario {
    if (!this.current) throw new Error('the scenario was not set up (Before hook)');
    return this.current;
  }

  set s(scenario: Scenario) {
    this.current = scenario;
  }
}

setWorldConstructor(DpeWorld);
