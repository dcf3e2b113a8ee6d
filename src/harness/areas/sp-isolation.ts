/**
 * Checks of features/robustness/sp-isolation.feature: one SP cannot change what another SP
 * defined for a user. A client holds one namespace of group ids and one of policy ids, so a
 * second SP's set of the same id could only replace the first SP's, and a policy hung on
 * another SP's group would change how that group is reported. The binding does not say so in
 * words (docs/security.md lists it as the reference server's guarantee), so these are derived
 * rules: they warn, never fail. The device state the harness's oracle expects still follows the
 * target's answer (an accepted set is a definition, binding), so a target that lets the second
 * SP win is judged consistently everywhere else.
 */
import type { Setting } from '../../../mocks/dpe-state';
import { describeSetting, sameContent } from '../../../mocks/dpe-state';
import type { MockDevice } from '../../../mocks/device';
import type { MockSp } from '../../../mocks/service-provider';
import { isErrorBody } from '../target';
import { ConformanceFailure } from '../expect';
import type { User } from '../oracle';
import type { Scenario } from '../scenario';

type What = 'group' | 'policy';

export class IsolationChecks {
  constructor(private readonly s: Scenario) {}

  /** The last DPE-2 set, of an id `owner` defined for `user`, was rejected with a 4xx Error object. */
  expectTurnedAway(sp: MockSp, owner: MockSp, user: User): Promise<void> {
    const s = this.s;
    return s.check('sp.isolation.conflict-rejected', () => {
      const a = s.lastAnswer;
      if (!a) throw new Error('no request was sent');
      if (a.status >= 400 && a.status < 500 && isErrorBody(a.body)) return;
      throw new ConformanceFailure(
        `the ${sp.name}'s set of what the ${owner.name} defined for ${user.name} was answered ${a.status} ${JSON.stringify(a.body)}, ` +
          "expected a 4xx with the binding's Error object (the reference server answers 409 CONFLICT): one SP cannot change what another defined",
      );
    });
  }

  /**
   * `device` still holds `owner`'s definition of the group or policy `id`. Judged once a relay of the
   * other SP's set would have arrived: after the quiet period when the set was rejected; when it was
   * accepted, as soon as the device's copy changes, or at the delivery deadline.
   */
  async expectStillHolds(device: MockDevice, owner: MockSp, what: What, id: string): Promise<void> {
    const s = this.s;
    const def = this.definition(owner, what, id);
    const mine = () => this.holds(device, def.setting);
    await s.check('sp.isolation.keeps-other-sps-settings', async () => {
      const accepted = (s.lastAnswer?.status ?? 0) >= 200 && (s.lastAnswer?.status ?? 0) < 300;
      // what must not happen is the device's copy changing: absence over the delivery deadline
      if (accepted) await s.trace.waitUntil(() => !mine(), s.deadline, 'absence');
      else await s.quietAfterAction();
      if (!mine()) throw this.failure(device, owner, def.setting, 'after another SP set the same id');
    });
  }

  /** After a device change, `device` is restored `owner`'s definition of `id`, not another SP's. */
  async expectRestored(device: MockDevice, owner: MockSp, what: What, id: string): Promise<void> {
    const s = this.s;
    const def = this.definition(owner, what, id);
    await s.check('sp.isolation.keeps-other-sps-settings', async () => {
      if (!(await s.trace.waitUntil(() => this.holds(device, def.setting), s.deadline))) {
        throw this.failure(device, owner, def.setting, 'restored by the device change, after another SP set the same id');
      }
    });
  }

  /** `device` holds no policy of id `id`: the one another SP tried to hang on `owner`'s group was not set. */
  async expectNoPolicy(device: MockDevice, id: string, owner: MockSp): Promise<void> {
    const s = this.s;
    await s.check('sp.isolation.keeps-other-sps-settings', async () => {
      await s.quietAfterAction();
      const held = device.state.settings().find((x) => x.id === id && x.kind !== 'DPE_Group_Set');
      if (held) {
        throw new ConformanceFailure(
          `${device.name} holds the ${describeSetting(held)}, a policy another SP hung on a group the ${owner.name} defined: one SP cannot change how another's group is reported`,
        );
      }
    });
  }

  private definition(owner: MockSp, what: What, id: string) {
    const d = this.s.sps.definitionOf(owner, what, id);
    if (!d) throw new Error(`the scenario is inconsistent: the ${owner.name} defined no ${what} "${id}" that the target accepted`);
    return d;
  }

  private holds(device: MockDevice, setting: Setting): boolean {
    const held = device.state.get(setting.kind, setting.id);
    return held !== undefined && sameContent(held.content, setting.content);
  }

  private failure(device: MockDevice, owner: MockSp, setting: Setting, when: string): ConformanceFailure {
    const held = device.state.get(setting.kind, setting.id);
    const now = held ? `the ${describeSetting(held)}` : `no ${setting.kind === 'DPE_Group_Set' ? 'group' : 'policy'} "${setting.id}"`;
    return new ConformanceFailure(
      `${device.name} holds ${now} ${when}, where the ${owner.name} defined the ${describeSetting(setting)}: one SP cannot change what another defined`,
      device.received.filter((e) => e.seq >= this.s.since),
    );
  }
}
