/** 6.1 and 8.1.1 registration: actions and what the registration answer must say. */
import { Then, When } from '@cucumber/cucumber';
import type { MockDevice } from '../mocks/device';
import type { User } from '../src/harness/oracle';
import type { DpeWorld } from './support/world';

When('{device} registers', async function (this: DpeWorld, device: MockDevice) {
  await this.s.devices.reregister(device);
});

When('{device} registers again with nothing changed', async function (this: DpeWorld, device: MockDevice) {
  await this.s.devices.reregister(device);
});

When('{device} registers with its identities given by the network', async function (this: DpeWorld, device: MockDevice) {
  await this.s.devices.reregister(device, { identityVia: 'network' });
});

When(
  "{device} registers with {user}'s identity in the request while the network names {user}",
  async function (this: DpeWorld, device: MockDevice, user: User, other: User) {
    this.s.expectSimIn(user, device);
    await this.s.devices.reregister(device, { networkUserIdentity: other.identity });
  },
);

When('{device} registers with no SIM in it', async function (this: DpeWorld, device: MockDevice) {
  await this.s.devices.reregisterWithoutSim(device);
});

When('{device} registers without its device identity', async function (this: DpeWorld, device: MockDevice) {
  await this.s.devices.reregister(device, { withoutDevice: true });
});

When('{device} registers from the IP address {string}', async function (this: DpeWorld, device: MockDevice, ip: string) {
  await this.s.devices.reregister(device, { ipAddress: ip });
});

When('the server makes {device} register again', async function (this: DpeWorld, device: MockDevice) {
  await this.s.devices.triggerRegistration(device);
});

When("{device} sends a registration with {user}'s SIM {}", async function (this: DpeWorld, device: MockDevice, user: User, defect: string) {
  await this.s.devices.sendBadRegistration(device, user, defect);
});

Then('{device} is made to register again', async function (this: DpeWorld, device: MockDevice) {
  await this.registration.expectTriggeredRegistration(device);
});

Then('the registration is rejected with an error object naming what is wrong', async function (this: DpeWorld) {
  await this.robustness.expectRejectedForDefect();
});

Then('{device} is given a Client ID', async function (this: DpeWorld, device: MockDevice) {
  await this.registration.expectRegistrationAnswer(device);
});

Then('{device} is given a new Client ID', async function (this: DpeWorld, device: MockDevice) {
  await this.registration.expectRegistrationAnswer(device, 'new');
});

Then('{device} is given a Client ID no other device was given', async function (this: DpeWorld, device: MockDevice) {
  await this.registration.expectOwnClientId(device);
});

Then('{device} keeps its Client ID', async function (this: DpeWorld, device: MockDevice) {
  await this.registration.expectRegistrationAnswer(device, 'same');
});

Then("{device}'s Client ID differs from {device}'s", async function (this: DpeWorld, a: MockDevice, b: MockDevice) {
  await this.registration.expectDistinctClientIds(a, b);
});

Then('no Client ID was given to two devices', async function (this: DpeWorld) {
  await this.registration.expectNoClientIdOnTwoDevices();
});

Then("the answer echoes the request's Message-ID", async function (this: DpeWorld) {
  await this.registration.expectEchoedMessageId();
});
