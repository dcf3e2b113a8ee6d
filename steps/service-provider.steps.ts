/** DPE-2: what SPs define and ask, and the Client ID Reports they are owed (8.2.3, 6.3.6.2, 6.3.7). */
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
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

Given('{provider} turns away the first report it is sent', function (this: DpeWorld, sp: string) {
  this.s.turnAwayFirstReport(sp);
});

When('{provider} defines the group {string} with the properties {string} for {user}', async function (this: DpeWorld, sp: string, group: string, props: string, user: string) {
  await this.s.defineGroup(sp, user, group, props, false);
});

When("{provider} asks for {user}'s Client ID", async function (this: DpeWorld, sp: string, user: string) {
  await this.s.query(sp, user);
});

When('a provider {credentials} defines the group {string} with the properties {string} for {user}', async function (this: DpeWorld, credentials: string, group: string, props: string, user: string) {
  await this.s.sendWithoutValidToken(credentials, 'group', user, group, props);
});

When("a provider {credentials} asks for {user}'s Client ID", async function (this: DpeWorld, credentials: string, user: string) {
  await this.s.sendWithoutValidToken(credentials, 'query', user);
});

Then('the request is rejected as {errorCode}', function (this: DpeWorld, code: string) {
  this.s.expectRejected(code);
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

Then('the answer is a {message} carrying:', async function (this: DpeWorld, type: string, table: DataTable) {
  await this.s.expectMessageTable({ type }, table.hashes());
});

Then('the {message} {provider} receives about {user} carries:', async function (this: DpeWorld, type: string, sp: string, user: string, table: DataTable) {
  await this.s.expectMessageTable({ type, sp, user }, table.hashes());
});

Then("{provider} is told that {user} now has {device}'s Client ID", async function (this: DpeWorld, sp: string, user: string, device: string) {
  await this.s.expectReportAbout(sp, user, { now: [device] });
});

Then("{provider} is told that {user} has a first Client ID, {device}'s, replacing none", async function (this: DpeWorld, sp: string, user: string, device: string) {
  await this.s.expectReportAbout(sp, user, { now: [device], first: true });
});

Then("{provider} is told that {user}'s Client ID is now {device}'s, replacing {device}'s", async function (this: DpeWorld, sp: string, user: string, now: string, before: string) {
  await this.s.expectReportAbout(sp, user, { now: [now], replacing: before });
});

Then("{provider} is told that {user}'s Client IDs are now exactly {device}'s and {device}'s", async function (this: DpeWorld, sp: string, user: string, a: string, b: string) {
  await this.s.expectReportAbout(sp, user, { now: [a, b], exactly: true });
});

Then("{provider} is told of {device}'s Client ID among {user}'s current ones", async function (this: DpeWorld, sp: string, device: string, user: string) {
  await this.s.expectReportAbout(sp, user, { now: [device] });
});

Then("{provider} is told that {user} no longer has a Client ID, replacing {device}'s", async function (this: DpeWorld, sp: string, user: string, device: string) {
  await this.s.expectReportAbout(sp, user, { none: true, replacing: device });
});

Then("{provider} is told that {device}'s Client ID has no user any more", async function (this: DpeWorld, sp: string, device: string) {
  await this.s.expectUserlessReport(sp, device);
});

Then('{provider} is told nothing about {user}', async function (this: DpeWorld, sp: string, user: string) {
  await this.s.expectNoReport(sp, user, `it is not concerned with ${user}, or nothing about ${user}'s Client ID changed (clause 8.2.3)`);
});

Then('{provider} is sent the refused report about {user} again, with the same Message-ID', async function (this: DpeWorld, sp: string, user: string) {
  await this.s.expectReportRetried(sp, user);
});

Then('the {int} reports {provider} received about {user} carry distinct Message-IDs', async function (this: DpeWorld, count: number, sp: string, user: string) {
  await this.s.expectDistinctReportIds(sp, user, count);
});
