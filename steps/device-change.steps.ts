/** 8.2.2 device change: what happens to users' SIMs and identities, and what the client receives. */
import { Then, When, type DataTable } from '@cucumber/cucumber';
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
  await this.s.expectNoReleases(device);
});

Then('{device} receives nothing', async function (this: DpeWorld, device: string) {
  await this.s.expectNoDeviceChangeMessages(device);
});

Then('{device} is told to release all its groups with one {message}', async function (this: DpeWorld, device: string, type: string) {
  await this.s.expectSingleWildcardRelease(device, type as 'DPE_Group_Release');
});

Then('{device} is told to release all its policies with one {message}', async function (this: DpeWorld, device: string, type: string) {
  await this.s.expectSingleWildcardRelease(device, type as 'DPE_Policy_Release');
});

Then('the {message} {device} receives carries:', async function (this: DpeWorld, type: string, device: string, table: DataTable) {
  await this.s.expectMessageTable({ type, device }, table.hashes());
});

Then('everything {device} receives for the device change is labelled with its Client ID', async function (this: DpeWorld, device: string) {
  await this.s.expectAddressedToCurrent(device);
});

Then('{device} is set nothing that was not defined for {user}', async function (this: DpeWorld, device: string, user: string) {
  await this.s.expectOnlyDefinedSets(device, user);
});

Then('{device} receives each group before the policy that reports it', async function (this: DpeWorld, device: string) {
  await this.s.expectGroupsBeforeTheirPolicies(device);
});

Then('{device} receives the group {string} with the properties {string}', async function (this: DpeWorld, device: string, group: string, props: string) {
  await this.s.expectGroupRelayed(device, group, props);
});

When("{user}'s SIM is put in {device}", async function (this: DpeWorld, user: string, device: string) {
  await this.s.moveSim(user, device);
});
