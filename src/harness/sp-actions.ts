/**
 * What the scenario's Service Providers do through the binding (DPE-2): define groups and
 * policies for users, query Client IDs, send without a valid token or over the body limit, and
 * turn reports away or be unreachable for a while. Each action keeps the model in step with
 * what the target accepted: a rejected definition defines nothing.
 */
import type { Setting, SettingKind } from '../../mocks/dpe-state';
import { settingOf } from '../../mocks/dpe-state';
import type { MockSp, ReportingPolicy } from '../../mocks/service-provider';
import type { SpFaultKind } from '../../mocks/sp-faults';
import { IE, isSetType, message, received } from '../catalog/protocol';
import { retryHorizonOf } from '../config/timing';
import { SetupFailure } from './expect';
import type { User } from './oracle';
import type { BodySize } from './oversized';
import { paddedJson, tracedAs } from './oversized';
import type { Scenario } from './scenario';
import type { Answer } from './target';
import type { Credentials } from './unauthorised';
import { unauthorisedRequest } from './unauthorised';

export class SpActions {
  constructor(private readonly s: Scenario) {}

  defineGroup(sp: MockSp, user: User, groupId: string, properties: string, forSetup: boolean): Promise<Answer> {
    const props = properties
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    return this.define(sp, user, settingOf('DPE_Group_Set', { [IE.GroupID]: groupId, [IE.Properties]: props }), forSetup);
  }

  definePropertyPolicy(
    sp: MockSp,
    user: User,
    policyId: string,
    property: string,
    policy: ReportingPolicy,
    forSetup: boolean,
  ): Promise<Answer> {
    return this.define(
      sp,
      user,
      settingOf('DPE_Property_Policy_Set', { [IE.PolicyID]: policyId, [IE.Property]: property, [IE.Policy]: policy }),
      forSetup,
    );
  }

  defineGroupPolicy(
    sp: MockSp,
    user: User,
    policyId: string,
    groupId: string,
    policy: ReportingPolicy,
    forSetup: boolean,
  ): Promise<Answer> {
    return this.define(
      sp,
      user,
      settingOf('DPE_Group_Policy_Set', { [IE.PolicyID]: policyId, [IE.GroupID]: groupId, [IE.Policy]: policy }),
      forSetup,
    );
  }

  /** An SP defines a group, property policy or group policy for a user (DPE-2). */
  private async define(sp: MockSp, user: User, setting: Setting, forSetup: boolean): Promise<Answer> {
    const s = this.s;
    if (!forSetup) await s.act();
    const wasConcerned = s.oracle.isConcerned(sp.alias, user.name);
    s.oracle.markConcerned(sp.alias, user.name, s.trace.mark());
    // the content was built from the step's words, so it has the types the catalog gives it
    const { kind, id, content: c } = setting;
    const a =
      kind === 'DPE_Group_Set'
        ? await sp.defineGroup(user.identity, id, c[IE.Properties] as string[])
        : kind === 'DPE_Property_Policy_Set'
          ? await sp.definePropertyPolicy(user.identity, id, c[IE.Property] as string, c[IE.Policy] as ReportingPolicy)
          : await sp.defineGroupPolicy(user.identity, id, c[IE.GroupID] as string, c[IE.Policy] as ReportingPolicy);
    s.lastAnswer = a;
    if (a.status >= 200 && a.status < 300) {
      s.oracle.definedFor(user.name, setting);
      s.spDefinitions.push({ sp: sp.alias, user: user.name, setting });
    } else {
      // a rejected set defines nothing and makes nobody concerned (binding, Errors)
      s.rejectedSettings.push(setting);
      if (!wasConcerned) s.oracle.forgetConcern(sp.alias, user.name);
    }
    s.notePredictions();
    // a set-up definition is not waited for here: the relays of several definitions arrive
    // together, and the next step that registers, moves a SIM, acts or settles waits for them
    if (forSetup && (a.status < 200 || a.status > 299))
      throw new SetupFailure(`${kind} from the ${sp.name} was answered ${a.status} ${JSON.stringify(a.body)}`);
    return a;
  }

  async query(sp: MockSp, user: User): Promise<Answer> {
    await this.s.act();
    this.s.oracle.markConcerned(sp.alias, user.name, this.s.trace.mark());
    const a = await sp.query(user.identity);
    this.s.lastAnswer = a;
    this.s.lastRequest = this.s.trace.entries.filter((e) => e.kind === 'request' && e.from === sp.name).at(-1)?.body as Record<
      string,
      unknown
    >;
    return a;
  }

  async queryForSetup(sp: MockSp, user: User): Promise<void> {
    const a = await this.query(sp, user);
    if (a.status !== 200) throw new SetupFailure(`the ${sp.name}'s DPE_Client_ID_Query was answered ${a.status} ${JSON.stringify(a.body)}`);
  }

  /** A DPE-2 request from a party that is not an onboarded SP, or presents its token wrongly (binding: 401 UNAUTHORIZED). */
  async sendWithoutValidToken(credentials: Credentials, type: string, user: User): Promise<void> {
    const { body, authorization } = unauthorisedRequest(credentials, type, user, this.s.allSps()[0]!.token, this.s.id);
    await this.s.act();
    this.s.lastRequest = body;
    this.s.lastAnswer = await this.s.ctx.target.post('/dpe-2', body, this.s.trace, {
      from: 'unknown provider',
      headers: authorization !== undefined ? { Authorization: authorization } : {},
    });
    if (isSetType(type) && this.s.lastAnswer.status >= 400) this.s.rejectedSettings.push(settingOf(type, body));
  }

  /** The SP answers 503 to the first report it is sent, so that the target must deliver it again (once what the set-up caused has arrived). */
  async turnAwayFirstReport(sp: MockSp): Promise<void> {
    await this.s.settleSetup();
    sp.turnAwayReports(1);
  }

  /** The SP answers 503 to the first `times` deliveries of the reports it is sent. */
  turnAwayReports(sp: MockSp, times: number): void {
    sp.turnAwayReports(times);
    this.s.outages.push({ sp: sp.alias, fault: { kind: 'refuse', times, status: 503 }, from: this.s.trace.mark() });
  }

  /**
   * The SP cannot take reports for `ms` from now, in the way `kind` says (binding: the target
   * tries again). The outage must end within the retry horizon the IXIT declares, or nothing
   * could be judged (the `@needs-sp-outage` tag keeps scenarios from running below its floor).
   */
  async takeSpAway(sp: MockSp, kind: SpFaultKind, ms: number): Promise<void> {
    const horizon = retryHorizonOf(this.s.ctx.ixit);
    if (ms >= horizon)
      throw new Error(
        `the scenario's SP outage (${ms} ms) is not shorter than the IXIT's retry horizon (${horizon} ms): the target would not be held to deliver`,
      );
    await sp.faultFor(kind, ms);
    // the feature states the outage: what the harness waits while it lasts is the feature's time, not the target's
    this.s.trace.waits.stated(ms);
    this.s.outages.push({ sp: sp.alias, fault: { kind, forMs: ms }, from: this.s.trace.mark() });
  }

  /**
   * An SP sends a group for `user` padded to `size` (over the IXIT's body limit). A set the target
   * accepted is a definition like any other; one it rejected must leave no trace (binding, Errors).
   */
  async sendOversizedGroup(sp: MockSp, user: User, size: BodySize): Promise<void> {
    const limit = this.s.ctx.ixit.limits?.maxBodyBytes;
    if (limit === undefined) throw new Error('the IXIT declares no limits.maxBodyBytes (the scenario should not have applied)');
    const base = { [IE.MessageID]: sp.nextMessageId(), [IE.UserIdentity]: user.identity, [IE.GroupID]: 'oversized' };
    const raw = paddedJson(
      (pad) => message('DPE_Group_Set@DPE-2', { ...base, [IE.Properties]: ['speed', `padding-${pad}`] }),
      size.bytes(limit),
      'DPE_Group_Set',
    );
    await this.s.act();
    this.s.lastRequest = undefined;
    this.s.lastAnswer = await sp.sendText(raw, {
      chunked: size.chunked,
      tracedBody: tracedAs(raw, 'DPE_Group_Set'),
      mayBeCutOff: size.mayBeCutOff,
    });
    const setting = settingOf('DPE_Group_Set', received('DPE_Group_Set@DPE-2', JSON.parse(raw)));
    if (this.s.lastAnswer.status >= 200 && this.s.lastAnswer.status < 300) this.s.oracle.definedFor(user.name, setting);
    else this.s.rejectedSettings.push(setting);
    this.s.notePredictions();
  }

  /** The latest group (`group`) or policy (`policy`) of id `id` that `sp` defined and the target accepted. */
  definitionOf(sp: MockSp, what: 'group' | 'policy', id: string): { user: string; setting: Setting } | undefined {
    const kinds: SettingKind[] = what === 'group' ? ['DPE_Group_Set'] : ['DPE_Property_Policy_Set', 'DPE_Group_Policy_Set'];
    return this.s.spDefinitions.filter((d) => d.sp === sp.alias && d.setting.id === id && kinds.includes(d.setting.kind)).at(-1);
  }
}
