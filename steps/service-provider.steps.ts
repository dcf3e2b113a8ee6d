/** DPE-2: what SPs define and ask, and the Client ID Reports they are owed (8.2.3, 6.3.6.2, 6.3.7). */
import { Given, Then, When } from '@cucumber/cucumber';
import type { DpeWorld } from './support/world';

Given("{provider} has asked for {user}'s Client ID", async function (this: DpeWorld, sp: string, user: string) {
  await this.s.queryForSetup(sp, user);
});

Given('{provider} has defined the group {string} with the properties {string} for {user}', async function (this: DpeWorld, sp: string, group: string, props: string, user: string) {
  await this.s.defineGroup(sp, user, group, props, true);
});

Given('{provider} has defined the policy {string} reporting {string} on change for {user}', async function (this: DpeWorld, sp: string, policy: string, property: string, user: string) {
  await this.s.definePropertyPolicy(sp, user, policy, property, { Trigger: 'on-change' }, true);
});

Given('{provider} has defined the policy {string} reporting the group {string} every {int} seconds for {user}', async function (this: DpeWorld, sp: string, policy: string, group: string, period: number, user: string) {
  await this.s.defineGroupPolicy(sp, user, policy, group, { Trigger: 'periodic', Period: period }, true);
});

When('{provider} defines the group {string} with the properties {string} for {user}', async function (this: DpeWorld, sp: string, group: string, props: string, user: string) {
  await this.s.defineGroup(sp, user, group, props, false);
});

When("{provider} asks for {user}'s Client ID", async function (this: DpeWorld, sp: string, user: string) {
  await this.s.query(sp, user);
});

Then("the answer lists exactly {device}'s Client ID", function (this: DpeWorld, device: string) {
  this.s.expectAnsweredClientIds([device]);
});

Then("the answer lists exactly {device}'s and {device}'s Client IDs", function (this: DpeWorld, a: string, b: string) {
  this.s.expectAnsweredClientIds([a, b]);
});

Then('the answer says {user} has no Client ID', function (this: DpeWorld, _user: string) {
  this.s.expectAnsweredClientIds([]);
});

Then("{provider} is told that {user} now has {device}'s Client ID", async function (this: DpeWorld, sp: string, user: string, device: string) {
  await this.s.expectReport(sp, user, { includes: [this.s.clientIdOf(device)] });
});

Then("{provider} is told that {user}'s Client ID is now {device}'s, replacing {device}'s", async function (this: DpeWorld, sp: string, user: string, now: string, before: string) {
  const previous = this.s.previousClientIdOf(before);
  await this.s.expectReport(sp, user, { includes: [this.s.clientIdOf(now)], excludes: [previous], replaces: [previous] });
});

Then("{provider} is told that {user} no longer has a Client ID, replacing {device}'s", async function (this: DpeWorld, sp: string, user: string, device: string) {
  await this.s.expectReport(sp, user, { nullClientId: true, replaces: [this.s.previousClientIdOf(device)] });
});

Then("{provider} is told that {device}'s Client ID has no user any more", async function (this: DpeWorld, sp: string, device: string) {
  await this.s.expectUserlessReport(sp, this.s.clientIdOf(device), device);
});

Then('{provider} is told nothing about {user}', async function (this: DpeWorld, sp: string, user: string) {
  await this.s.expectNoReport(sp, user, `it is not concerned with ${user}, or nothing about ${user}'s Client ID changed (clause 8.2.3)`);
});
