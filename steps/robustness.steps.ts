/** The binding's Errors: what a rejected request may not cause. */
import { Then } from '@cucumber/cucumber';
import type { DpeWorld } from './support/world';

Then('nothing is sent because of it', async function (this: DpeWorld) {
  await this.robustness.expectNothingSent();
});
