/** 6.1 and 8.1.1 registration: actions and what the registration answer must say. */
import { Then, When } from '@cucumber/cucumber';
import type { DpeWorld } from './support/world';

When('{device} registers', async function (this: DpeWorld, device: string) {
  await this.s.reregister(device);
});

When('{device} registers again with nothing changed', async function (this: DpeWorld, device: string) {
  await this.s.reregister(device);
});

When('{device} registers with its identities given by the network', async function (this: DpeWorld, device: string) {
  await this.s.reregister(device, { identityVia: 'network' });
});

When("{device} registers with {user}'s identity in the request while the network names {user}", async function (this: DpeWorld, device: string, user: string, other: string) {
  this.s.expectSimIn(user, device);
  await this.s.reregister(device, { networkUserIdentity: this.s.user(other).identity });
});

When('{device} registers with no SIM in it', async function (this: DpeWorld, device: string) {
  await this.s.reregisterWithoutSim(device);
});

When('{device} registers from the IP address {string}', async function (this: DpeWorld, device: string, ip: string) {
  await this.s.reregister(device, { ipAddress: ip });
});

When('the server makes {device} register again', async function (this: DpeWorld, device: string) {
  await this.s.triggerRegistration(device);
});

When("{device} sends a registration with {user}'s SIM {}", async function (this: DpeWorld, device: string, user: string, defect: string) {
  await this.s.sendBadRegistration(device, user, defect);
});

Then('{device} is made to register again', async function (this: DpeWorld, device: string) {
  await this.s.expectTriggeredRegistration(device);
});

Then('the registration is rejected with an error object naming what is wrong', function (this: DpeWorld) {
  this.s.expectRejectedForDefect();
});

Then('{device} is given a Client ID', function (this: DpeWorld, device: string) {
  this.s.expectRegistrationAnswer(device);
});

Then('{device} is given a new Client ID', function (this: DpeWorld, device: string) {
  this.s.expectRegistrationAnswer(device, 'new');
});

Then('{device} is given a Client ID no other device was given', function (this: DpeWorld, device: string) {
  this.s.expectOwnClientId(device);
});

Then('{device} keeps its Client ID', function (this: DpeWorld, device: string) {
  this.s.expectRegistrationAnswer(device, 'same');
});

Then("{device}'s Client ID differs from {device}'s", function (this: DpeWorld, a: string, b: string) {
  this.s.expectDistinctClientIds(a, b);
});

Then('no Client ID was given to two devices', function (this: DpeWorld) {
  this.s.expectNoClientIdOnTwoDevices();
});

Then("the answer echoes the request's Message-ID", function (this: DpeWorld) {
  this.s.expectEchoedMessageId();
});
