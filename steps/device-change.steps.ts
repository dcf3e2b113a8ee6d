/** 8.2.2 device change: what happens to users' SIMs and identities, and what the client ends up holding. */
import type { DataTable } from '@cucumber/cucumber';
import { Then, When } from '@cucumber/cucumber';
import type { MockDevice } from '../mocks/device';
import type { User } from '../src/harness/oracle';
import type { DpeWorld } from './support/world';
import { releaseStep } from './support/release-steps';

When("{user}'s SIM moves from {device} to {device}", async function (this: DpeWorld, user: User, from: MockDevice, to: MockDevice) {
  this.s.expectSimIn(user, from);
  await this.s.devices.moveSim(user, to);
});

When(
  "{user}'s SIM is put in {device} in place of {user}'s",
  async function (this: DpeWorld, user: User, device: MockDevice, previous: User) {
    this.s.expectSimIn(previous, device);
    await this.s.devices.moveSim(user, device);
  },
);

When("{user}'s SIM is put in {device}", async function (this: DpeWorld, user: User, device: MockDevice) {
  await this.s.devices.moveSim(user, device);
});

When('{user} starts using {device}', async function (this: DpeWorld, user: User, device: MockDevice) {
  await this.s.devices.moveSim(user, device);
});

Then(releaseStep('{device} receives a group release for all groups'), async function (this: DpeWorld, device: MockDevice) {
  await this.deviceChange.expectGroupReleaseAll(device);
});

Then(releaseStep('{device} receives a policy release for all policies'), async function (this: DpeWorld, device: MockDevice) {
  await this.deviceChange.expectPolicyReleaseAll(device);
});

Then(
  releaseStep('{device} receives every group and policy defined for {user}'),
  async function (this: DpeWorld, device: MockDevice, user: User) {
    await this.deviceChange.expectRestored(device, user);
  },
);

Then(
  releaseStep('{device} ends up holding exactly what is defined for {user}'),
  async function (this: DpeWorld, device: MockDevice, user: User) {
    await this.deviceChange.expectRestored(device, user);
  },
);

Then(releaseStep('{device} receives the releases before any group or policy is set'), async function (this: DpeWorld, device: MockDevice) {
  await this.deviceChange.expectReleasesBeforeSets(device);
});

Then(releaseStep('{device} receives no release'), async function (this: DpeWorld, device: MockDevice) {
  await this.deviceChange.expectNoReleases(device);
});

Then('{device} still holds what it held before', async function (this: DpeWorld, device: MockDevice) {
  await this.deviceChange.expectStillHolds(device, 'dc.unchanged-keeps-settings');
});

Then('{device} still holds everything defined for {user}', async function (this: DpeWorld, device: MockDevice, _user: User) {
  await this.deviceChange.expectStillHolds(device, 'dc.multi-device.keeps-earlier');
});

Then("{device} is sent none of {user}'s settings", async function (this: DpeWorld, device: MockDevice, _user: User) {
  await this.deviceChange.expectNoSettingsSentTo(device);
});

Then(
  releaseStep('{device} is told to release all its groups with one {message}'),
  async function (this: DpeWorld, device: MockDevice, type: string) {
    await this.messages.expectSingleWildcardRelease(device, type);
  },
);

Then(
  releaseStep('{device} is told to release all its policies with one {message}'),
  async function (this: DpeWorld, device: MockDevice, type: string) {
    await this.messages.expectSingleWildcardRelease(device, type);
  },
);

Then(
  releaseStep('the {message} {device} receives carries:'),
  async function (this: DpeWorld, type: string, device: MockDevice, table: DataTable) {
    await this.messages.expectMessageTable(
      { type, device },
      table.hashes(),
      type === 'DPE_Group_Release' ? 'msg.group-release.ies' : 'msg.policy-release.ies',
    );
  },
);

Then(
  releaseStep('everything {device} receives for the device change is labelled with its Client ID'),
  async function (this: DpeWorld, device: MockDevice) {
    await this.deviceChange.expectAddressedToCurrent(device);
  },
);

Then('{device} is set nothing that was not defined for {user}', async function (this: DpeWorld, device: MockDevice, user: User) {
  await this.deviceChange.expectOnlyDefinedSets(device, user);
});

Then(releaseStep('{device} receives each group before the policy that reports it'), async function (this: DpeWorld, device: MockDevice) {
  await this.deviceChange.expectGroupsBeforeTheirPolicies(device);
});

Then(
  '{device} holds the group {string} with the properties {string}',
  async function (this: DpeWorld, device: MockDevice, group: string, props: string) {
    await this.deviceChange.expectGroupRelayed(device, group, props);
  },
);
