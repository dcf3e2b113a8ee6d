/** Who is who: users, SIMs and devices, and the registrations of the set-up. */
import { Given } from '@cucumber/cucumber';
import type { MockDevice } from '../mocks/device';
import type { User } from '../src/harness/oracle';
import type { DpeWorld } from './support/world';

// a plain capture, not {user}: the user must not exist yet when it is declared multi-device
Given(/^([A-Z][a-z]+) is a multi-device user$/, function (this: DpeWorld, name: string) {
  this.s.user(name, 'sip');
});

Given("{user}'s SIM is in {device}", function (this: DpeWorld, user: User, device: MockDevice) {
  return this.s.devices.insertSimForSetup(user, device);
});

Given("{device} is registered with {user}'s SIM", async function (this: DpeWorld, device: MockDevice, user: User) {
  await this.s.devices.registerSimForSetup(user, device);
});

Given(
  "{device} is registered with {user}'s SIM from the IP address {string}",
  async function (this: DpeWorld, device: MockDevice, user: User, ip: string) {
    await this.s.devices.registerSimForSetup(user, device, { ipAddress: ip });
  },
);

Given('{user} is registered on {device}', async function (this: DpeWorld, user: User, device: MockDevice) {
  await this.s.devices.registerSimForSetup(user, device);
});
