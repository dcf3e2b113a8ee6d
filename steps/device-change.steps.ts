/** 8.2.2 device change: what happens to users' SIMs and identities, and what the client receives. */
import { Then, When } from '@cucumber/cucumber';
import type { DpeWorld } from './support/world';

When("{user}'s SIM moves from {device} to {device}", async function (this: DpeWorld, user: string, from: string, to: string) {
  this.s.expectSimIn(user, from);
  await this.s.moveSim(user, to);
});

When("{user}'s SIM is put in {device} in place of {user}'s", async function (this: DpeWorld, user: string, device: string, previous: string) {
  this.s.expectSimIn(previous, device);
  await this.s.moveSim(user, device);
});

When('{user} starts using {device}', async function (this: DpeWorld, user: string, device: string) {
  await this.s.moveSim(user, device);
});

When("{user}'s SIM is taken out of {device}, which registers without it", async function (this: DpeWorld, user: string, device: string) {
  this.s.expectSimIn(user, device);
  await this.s.reregisterWithoutSim(device);
});

Then('{device} receives a group release for all groups', async function (this: DpeWorld, device: string) {
  await this.s.expectGroupReleaseAll(device);
});

Then('{device} receives a policy release for all policies', async function (this: DpeWorld, device: string) {
  await this.s.expectPolicyReleaseAll(device);
});

Then('{device} receives every group and policy defined for {user}', async function (this: DpeWorld, device: string, user: string) {
  await this.s.expectRestored(device, user);
});

Then('{device} receives the releases before any group or policy is set', async function (this: DpeWorld, device: string) {
  await this.s.expectReleasesBeforeSets(device);
});

Then('{device} receives no release', async function (this: DpeWorld, device: string) {
  await this.s.expectNothingAtDevice(device, ['DPE_Group_Release', 'DPE_Policy_Release'], 'a registration with nothing changed is not a device change (clause 8.2.2)');
});

Then('{device} receives nothing', async function (this: DpeWorld, device: string) {
  await this.s.expectNothingAtDevice(device, ['DPE_Group_Release', 'DPE_Policy_Release', 'DPE_Group_Set', 'DPE_Property_Policy_Set', 'DPE_Group_Policy_Set'], 'only the registering client is brought up to date (clause 8.2.2)');
});
