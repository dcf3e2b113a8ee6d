/**
 * The load mode's workload (src/load/workload.ts): cohort layouts, and plans that only propose
 * what makes sense where the SIMs are and what the SPs defined, played again from their seed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Action, ActionKind } from '../../src/load/actions';
import { WEIGHTS } from '../../src/load/actions';
import { Rng } from '../../src/load/rng';
import { CohortPlan, cohortSize, layoutCohort, layoutCohorts } from '../../src/load/workload';
import { Limiter } from '../../src/load/limiter';
import { percentile, summarise } from '../../src/load/stats';

const play = (seed: number, steps: number) => {
  const plan = new CohortPlan(layoutCohort('c1', 4), ['maps', 'music'], new Rng(seed));
  return { plan, actions: [...plan.setup(), ...Array.from({ length: steps }, () => plan.next())] };
};

describe('cohort layouts', () => {
  it('four devices: two SIM users, a multi-device (SIP) user and a spare device with its new user', () => {
    const l = layoutCohort('c7', 4);
    assert.deepEqual(l.devices, ['phone 7.1', 'phone 7.2', 'phone 7.3', 'phone 7.4']);
    assert.deepEqual(
      l.users.map((u) => u.kind),
      ['sim', 'sim', 'sip', 'sim'],
    );
    assert.deepEqual(
      l.initial.map((i) => i.device),
      ['phone 7.1', 'phone 7.2', 'phone 7.3'],
    );
    assert.deepEqual(l.spares, [{ device: 'phone 7.4', user: 'user 7.4' }]);
  });

  it('covers every device once, in at most 400 cohorts', () => {
    for (const n of [1, 3, 50, 1000, 1601, 5000]) {
      const ls = layoutCohorts(n);
      assert.equal(
        ls.reduce((k, l) => k + l.devices.length, 0),
        n,
        `${n} devices`,
      );
      assert.ok(ls.length <= 400, `${n} devices: ${ls.length} cohorts`);
      assert.equal(new Set(ls.flatMap((l) => l.devices)).size, n);
      assert.ok(ls.every((l) => l.devices.length <= cohortSize(n)));
    }
    assert.equal(layoutCohorts(1000).length, 250);
  });
});

describe('cohort plans', () => {
  it('play the same actions again from the same seed, and other ones from another', () => {
    assert.deepEqual(play(42, 300).actions, play(42, 300).actions);
    assert.notDeepEqual(play(42, 300).actions, play(43, 300).actions);
  });

  it('propose every kind of action over a long run', () => {
    const seen = new Set(play(1, 2000).actions.map((a) => a.kind));
    assert.deepEqual([...seen].sort(), (Object.keys(WEIGHTS) as ActionKind[]).sort());
  });

  it('keep a SIM in one device at a time, move it from where it is, and bring each new user once', () => {
    const plan = new CohortPlan(layoutCohort('c1', 8), ['maps'], new Rng(9));
    const where = new Map<string, string | null>();
    const newUsers: string[] = [];
    for (const a of [...plan.setup(), ...Array.from({ length: 3000 }, () => plan.next())]) {
      if (a.kind === 'new-user-new-device') newUsers.push(a.user);
      if (a.kind !== 'sim-move') continue;
      if (a.from) assert.equal(where.get(a.from) ?? a.user, a.user, `${a.user}'s SIM leaves ${a.from}, where it was`);
      assert.notEqual(a.device, a.from);
      for (const [d, u] of where) if (u === a.user) where.set(d, null);
      where.set(a.device, a.user);
      for (const u of new Set(plan.layout.users.map((x) => x.name))) {
        if (plan.layout.users.find((x) => x.name === u)?.kind === 'sim')
          assert.ok(plan.devicesOf(u).length <= 1, `${u} is in ${plan.devicesOf(u).join(', ')}`);
      }
    }
    assert.equal(new Set(newUsers).size, newUsers.length, 'every new user on a new device comes once');
  });

  it('define group policies only for groups their SP defined for that user, and never repeat a definition unchanged', () => {
    const { actions } = play(5, 3000);
    const groups = new Set<string>();
    const last = new Map<string, string>();
    for (const a of actions as Action[]) {
      if (a.kind === 'define-group') groups.add(`${a.sp}/${a.user}/${a.groupId}`);
      if (a.kind === 'define-group-policy') assert.ok(groups.has(`${a.sp}/${a.user}/${a.groupId}`), JSON.stringify(a));
      if (a.kind === 'define-group' || a.kind === 'define-property-policy' || a.kind === 'define-group-policy') {
        const id = a.kind === 'define-group' ? a.groupId : a.policyId;
        assert.ok(id.startsWith(`${a.sp}-`), "ids of the SP's own");
        const key = `${a.sp}/${a.user}/${a.kind}/${id}`;
        const content = JSON.stringify(
          a.kind === 'define-group'
            ? [...a.properties].sort()
            : a.kind === 'define-property-policy'
              ? [a.property, a.policy]
              : [a.groupId, a.policy],
        );
        assert.notEqual(last.get(key), content, `${key} defined again unchanged`);
        last.set(key, content);
      }
    }
  });

  it('never name a new user before the new device brings them', () => {
    const plan = new CohortPlan(layoutCohort('c1', 4), ['maps'], new Rng(3));
    let arrived = false;
    for (const a of [...plan.setup(), ...Array.from({ length: 500 }, () => plan.next())]) {
      if (a.kind === 'new-user-new-device' && a.user === 'user 1.4') arrived = true;
      if (a.user === 'user 1.4' && !arrived) assert.fail(`${a.kind} names user 1.4 before it came`);
    }
  });
});

describe('the figures and the bound on requests in flight', () => {
  it('nearest-rank percentiles', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual([percentile(s, 50), percentile(s, 90), percentile(s, 99), percentile(s, 100)], [50, 90, 99, 100]);
    assert.equal(percentile([], 50), 0);
    assert.deepEqual(summarise([3, 1, 2]), { count: 3, p50: 2, p90: 3, p99: 3, max: 3, mean: 2 });
  });

  it('a limiter never lets more than its bound run, and serves in order', async () => {
    const l = new Limiter(3);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates: Array<() => void> = [];
    let done = 0;
    const jobs = Array.from({ length: 10 }, (_, i) =>
      l.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await new Promise<void>((r) => gates.push(r));
        running--;
        done++;
      }),
    );
    // end one job at a time: each end lets the next in line start (bounded in rounds)
    for (let round = 0; round < 100 && done < 10; round++) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await Promise.all(jobs);
    assert.equal(most, 3);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
