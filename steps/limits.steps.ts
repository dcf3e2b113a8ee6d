/** Bodies over the body limit the target declares, and the target serving on (binding: Errors, Rejections). */
import { Then, When } from '@cucumber/cucumber';
import type { MockDevice } from '../mocks/device';
import type { MockSp } from '../mocks/service-provider';
import type { BodySize } from '../src/harness/oversized';
import type { User } from '../src/harness/oracle';
import type { DpeWorld } from './support/world';

When('{provider} defines a group for {user} {bodySize}', async function (this: DpeWorld, sp: MockSp, user: User, size: BodySize) {
  await this.s.sps.sendOversizedGroup(sp, user, size);
});

Then("the target is still serving: the answer lists exactly {device}'s Client ID", async function (this: DpeWorld, device: MockDevice) {
  await this.robustness.expectStillServing([device]);
});

Then('the request is turned away: rejected as PAYLOAD_TOO_LARGE, or cut off while it was being sent', async function (this: DpeWorld) {
  await this.robustness.expectTooLargeOrCutOff();
});
