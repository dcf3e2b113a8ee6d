/** Who is who: users, SIMs and devices, and the registrations of the set-up. */
import { Given } from '@cucumber/cucumber';
import type { DpeWorld } from './support/world';

Given('{user} is a multi-device user', function (this: DpeWorld, user: string) {
  this.s.user(user, 'sip');
});

Given("{user}'s SIM is in {device}", function (this: DpeWorld, user: string, device: string) {
  this.s.insertSim(user, device);
});

Given("{device} is registered with {user}'s SIM", async function (this: DpeWorld, device: string, user: string) {
  await this.s.registerSimForSetup(user, device);
});

Given("{device} is registered with {user}'s SIM from the IP address {string}", async function (this: DpeWorld, device: string, user: string, ip: string) {
  await this.s.registerSimForSetup(user, device, { ipAddress: ip });
});

Given('{user} is registered on {device}', async function (this: DpeWorld, user: string, device: string) {
  this.s.insertSim(user, device);
  await this.s.registerForSetup(device);
});
