/** Service Providers that cannot take reports for a while, and what they are told once back (binding: at-least-once delivery). */
import { Given, Then } from '@cucumber/cucumber';
import type { MockDevice } from '../mocks/device';
import type { MockSp } from '../mocks/service-provider';
import type { SpFaultKind } from '../mocks/sp-faults';
import { MAX_DELIVERY_DEADLINE_MS, MAX_RETRY_HORIZON_MS } from '../src/config/ixit';
import type { User } from '../src/harness/oracle';
import type { DpeWorld } from './support/world';

Given('{provider} {spFault} for {int} second(s)', async function (this: DpeWorld, sp: MockSp, fault: SpFaultKind, seconds: number) {
  await this.s.sps.takeSpAway(sp, fault, seconds * 1000);
});

Given('{provider} turns away a report the first {int} times it is sent', function (this: DpeWorld, sp: MockSp, times: number) {
  this.s.sps.turnAwayReports(sp, times);
});

// the check waits up to the IXIT's retry horizon and delivery deadline; cucumber's 5 s default would cut it short
const RETRY_WAIT_TIMEOUT = MAX_RETRY_HORIZON_MS + MAX_DELIVERY_DEADLINE_MS + 10_000;

Then(
  "{provider} is told, once it takes reports again, that {user}'s Client ID is now {device}'s",
  { timeout: RETRY_WAIT_TIMEOUT },
  async function (this: DpeWorld, sp: MockSp, user: User, device: MockDevice) {
    await this.delivery.expectToldOnceBack(sp, user, device);
  },
);
