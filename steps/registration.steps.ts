/** 8.1.1 registration: actions and what the registration answer must say. */
import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { DpeWorld } from './support/world';
import { ConformanceFailure } from '../src/harness/expect';

When('{device} registers', async function (this: DpeWorld, device: string) {
  await this.s.reregister(device);
});

When('{device} registers again with nothing changed', async function (this: DpeWorld, device: string) {
  await this.s.reregister(device);
});

When('{device} registers with its identities given by the network', async function (this: DpeWorld, device: string) {
  await this.s.reregister(device, { identityVia: 'network' });
});

When('{device} registers from the IP address {string}', async function (this: DpeWorld, device: string, ip: string) {
  await this.s.reregister(device, { ipAddress: ip });
});

When("{device} sends a registration with {user}'s SIM {}", async function (this: DpeWorld, device: string, user: string, defect: string) {
  await this.s.sendBadRegistration(device, user, defect);
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

Then('{device} keeps its Client ID', function (this: DpeWorld, device: string) {
  this.s.expectRegistrationAnswer(device, 'same');
});

Then("{device}'s Client ID differs from {device}'s", function (this: DpeWorld, a: string, b: string) {
  if (this.s.clientIdOf(a) === this.s.clientIdOf(b)) {
    throw new ConformanceFailure(`${a} and ${b} were given the same Client ID ${this.s.clientIdOf(a)}: two devices, two Client IDs (clause 8.1.1)`);
  }
});


Then('the answer echoes the registration\'s Message-ID', function (this: DpeWorld) {
  const sent = this.s.trace.entries.filter((e) => e.kind === 'request' && e.messageType === 'DPE_Registration_Request').at(-1);
  assert.ok(sent, 'no registration was sent');
  this.s.expectEchoedMessageId(sent.body as Record<string, unknown>);
});
