/** DPE-2: what SPs define and ask, and what they are told (8.2.3, 6.3.6.2, 6.3.7). */
import type { DataTable } from '@cucumber/cucumber';
import { Given, Then, When } from '@cucumber/cucumber';
import type { MockDevice } from '../mocks/device';
import type { MockSp } from '../mocks/service-provider';
import type { User } from '../src/harness/oracle';
import type { Credentials } from '../src/harness/unauthorised';
import type { DpeWorld } from './support/world';

Given("{provider} has asked for {user}'s Client ID", async function (this: DpeWorld, sp: MockSp, user: User) {
  await this.s.sps.queryForSetup(sp, user);
});

Given(
  '{provider} has defined the group {string} with the properties {string} for {user}',
  async function (this: DpeWorld, sp: MockSp, group: string, props: string, user: User) {
    await this.s.sps.defineGroup(sp, user, group, props, true);
  },
);

Given(
  '{provider} has defined the policy {string} reporting {string} on change for {user}',
  async function (this: DpeWorld, sp: MockSp, policy: string, property: string, user: User) {
    await this.s.sps.definePropertyPolicy(sp, user, policy, property, { Trigger: 'on-change' }, true);
  },
);

Given(
  '{provider} has defined the policy {string} reporting the group {string} every {int} seconds for {user}',
  async function (this: DpeWorld, sp: MockSp, policy: string, group: string, period: number, user: User) {
    await this.s.sps.defineGroupPolicy(sp, user, policy, group, { Trigger: 'periodic', Period: period }, true);
  },
);

Given('{provider} turns away the first report it is sent', function (this: DpeWorld, sp: MockSp) {
  return this.s.sps.turnAwayFirstReport(sp);
});

When(
  '{provider} defines the group {string} with the properties {string} for {user}',
  async function (this: DpeWorld, sp: MockSp, group: string, props: string, user: User) {
    await this.s.sps.defineGroup(sp, user, group, props, false);
  },
);

When("{provider} asks for {user}'s Client ID", async function (this: DpeWorld, sp: MockSp, user: User) {
  await this.s.sps.query(sp, user);
});

When(
  'a provider {credentials} sends a {message} about {user}',
  async function (this: DpeWorld, credentials: Credentials, message: string, user: User) {
    await this.s.sps.sendWithoutValidToken(credentials, message, user);
  },
);

Then('the request is rejected as {errorCode}', async function (this: DpeWorld, code: string) {
  await this.robustness.expectRejected(code);
});

Then("the answer lists exactly {device}'s Client ID", async function (this: DpeWorld, device: MockDevice) {
  await this.clientId.expectAnsweredClientIds([device]);
});

Then("the answer lists exactly {device}'s and {device}'s Client IDs", async function (this: DpeWorld, a: MockDevice, b: MockDevice) {
  await this.clientId.expectAnsweredClientIds([a, b]);
});

Then('the answer says {user} has no Client ID', async function (this: DpeWorld, _user: User) {
  await this.clientId.expectAnsweredClientIds([]);
});

Then('the answer is a {message} carrying:', async function (this: DpeWorld, type: string, table: DataTable) {
  await this.messages.expectMessageTable({ type }, table.hashes(), 'msg.client-id-response.ies');
});

Then(
  'the {message} {provider} receives about {user} carries:',
  async function (this: DpeWorld, type: string, sp: MockSp, user: User, table: DataTable) {
    await this.messages.expectMessageTable({ type, sp, user }, table.hashes(), 'msg.client-id-report.ies');
  },
);

Then(
  "{provider} is told that {user} now has {device}'s Client ID",
  async function (this: DpeWorld, sp: MockSp, user: User, device: MockDevice) {
    await this.clientId.expectReportAbout(sp, user, { now: [device] });
  },
);

Then(
  "{provider} is told that {user} has a first Client ID, {device}'s, replacing none",
  async function (this: DpeWorld, sp: MockSp, user: User, device: MockDevice) {
    await this.clientId.expectReportAbout(sp, user, { now: [device], first: true });
  },
);

Then(
  "{provider} is told that {user}'s Client ID is now {device}'s, replacing {device}'s",
  async function (this: DpeWorld, sp: MockSp, user: User, now: MockDevice, before: MockDevice) {
    await this.clientId.expectReportAbout(sp, user, { now: [now], replacing: before });
  },
);

Then(
  "{provider} is told that {user}'s Client IDs are now exactly {device}'s and {device}'s",
  async function (this: DpeWorld, sp: MockSp, user: User, a: MockDevice, b: MockDevice) {
    await this.clientId.expectReportAbout(sp, user, { now: [a, b], exactly: true });
  },
);

Then(
  "{provider} is told of {device}'s Client ID among {user}'s current ones",
  async function (this: DpeWorld, sp: MockSp, device: MockDevice, user: User) {
    await this.clientId.expectReportAbout(sp, user, { now: [device] });
  },
);

Then(
  "{provider} is told that {user} no longer has a Client ID, replacing {device}'s",
  async function (this: DpeWorld, sp: MockSp, user: User, device: MockDevice) {
    await this.clientId.expectReportAbout(sp, user, { none: true, replacing: device });
  },
);

Then("{provider} is told that {device}'s Client ID has no user any more", async function (this: DpeWorld, sp: MockSp, device: MockDevice) {
  await this.clientId.expectUserlessReport(sp, device);
});

Then('{provider} is told nothing about {user}', async function (this: DpeWorld, sp: MockSp, user: User) {
  await this.clientId.expectNoReport(sp, user);
});

Then(
  '{provider} is sent the refused report about {user} again, with the same Message-ID',
  async function (this: DpeWorld, sp: MockSp, user: User) {
    await this.clientId.expectReportRetried(sp, user);
  },
);

Then(
  'the {int} reports {provider} received about {user} carry distinct Message-IDs',
  async function (this: DpeWorld, count: number, sp: MockSp, user: User) {
    await this.clientId.expectDistinctReportIds(sp, user, count);
  },
);
