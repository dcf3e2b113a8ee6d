/** One Service Provider cannot change what another defined (derived from the binding; docs/security.md). */
import { Then, When } from '@cucumber/cucumber';
import type { MockDevice } from '../mocks/device';
import type { MockSp } from '../mocks/service-provider';
import type { User } from '../src/harness/oracle';
import type { DpeWorld } from './support/world';

When(
  '{provider} defines the policy {string} reporting {string} on change for {user}',
  async function (this: DpeWorld, sp: MockSp, policy: string, property: string, user: User) {
    await this.s.sps.definePropertyPolicy(sp, user, policy, property, { Trigger: 'on-change' }, false);
  },
);

When(
  '{provider} defines the policy {string} reporting the group {string} every {int} seconds for {user}',
  async function (this: DpeWorld, sp: MockSp, policy: string, group: string, period: number, user: User) {
    await this.s.sps.defineGroupPolicy(sp, user, policy, group, { Trigger: 'periodic', Period: period }, false);
  },
);

Then(
  '{provider} is turned away, since {provider} defined that for {user}',
  async function (this: DpeWorld, sp: MockSp, owner: MockSp, user: User) {
    await this.isolation.expectTurnedAway(sp, owner, user);
  },
);

Then(
  "{device} still holds {provider}'s {definitionKind} {string}",
  async function (this: DpeWorld, device: MockDevice, owner: MockSp, what: 'group' | 'policy', id: string) {
    await this.isolation.expectStillHolds(device, owner, what, id);
  },
);

Then(
  "{device} holds {provider}'s {definitionKind} {string}",
  async function (this: DpeWorld, device: MockDevice, owner: MockSp, what: 'group' | 'policy', id: string) {
    await this.isolation.expectRestored(device, owner, what, id);
  },
);

Then(
  "{device} holds no policy {string} on {provider}'s group",
  async function (this: DpeWorld, device: MockDevice, id: string, owner: MockSp) {
    await this.isolation.expectNoPolicy(device, id, owner);
  },
);
