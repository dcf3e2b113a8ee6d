/**
 * dc.release-one-message judged over everything a scenario received (src/harness/areas/
 * repeated-releases.ts): a `*` release repeated after the step's quiet period is still warned
 * about; one release per action is not; a release after the next action belongs to that action;
 * the step's and the settled judgement's findings on the same count are one warning.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { referenceIcs } from '../../src/config/ics';
import { Judgement } from '../../src/harness/judgement';
import type { OneReleaseCheck } from '../../src/harness/areas/repeated-releases';
import { oneReleaseFinding, releasesOf, repeatedReleases } from '../../src/harness/areas/repeated-releases';
import type { TraceEntry } from '../../src/harness/trace';

const ics = referenceIcs('per-user-and-device');
const release = (seq: number, type = 'DPE_Group_Release', id = '*'): TraceEntry =>
  ({
    seq,
    at: seq * 10,
    kind: 'notify',
    to: 'phone B',
    messageType: type,
    body: { 'Message-Type': type, [type === 'DPE_Group_Release' ? 'Group_ID' : 'Policy-ID']: id, 'Message-ID': `m${seq}` },
  }) as unknown as TraceEntry;

function scenario(received: TraceEntry[], actionMarks: number[], checks: Array<Omit<OneReleaseCheck, 'device'>>) {
  const device = { name: 'phone B', received };
  return { ctx: { ics }, actionMarks, oneReleaseChecks: checks.map((c) => ({ ...c, device })) };
}

describe('one release per device change, judged over all the scenario received', () => {
  it('warns about a release repeated after the step looked (late), naming both', () => {
    // the step looked at #5 alone; #9 came after its quiet period
    const s = scenario([release(5), release(9)], [4], [{ type: 'DPE_Group_Release', since: 4 }]);
    const [f, ...rest] = repeatedReleases(s);
    assert.equal(rest.length, 0);
    assert.equal(f?.requirement, 'dc.release-one-message');
    assert.match(f!.message, /phone B received 2 DPE_Group_Release \(IE Group_ID \["\*","\*"\]\) for one device change/);
    assert.deepEqual(
      f!.entries?.map((e) => e.seq),
      [5, 9],
    );
  });

  it('finds nothing when each action released once, or when no step asked', () => {
    assert.deepEqual(repeatedReleases(scenario([release(5)], [4], [{ type: 'DPE_Group_Release', since: 4 }])), []);
    assert.deepEqual(repeatedReleases(scenario([release(5), release(9)], [4], [])), []);
  });

  it('counts up to the next action: its release is its own', () => {
    const s = scenario([release(5), release(12)], [4, 10], [{ type: 'DPE_Group_Release', since: 4 }]);
    assert.deepEqual(repeatedReleases(s), []);
  });

  it('counts the type the step named only', () => {
    const s = scenario([release(5), release(6, 'DPE_Policy_Release')], [4], [{ type: 'DPE_Group_Release', since: 4 }]);
    assert.deepEqual(repeatedReleases(s), []);
  });

  it("is one warning with the step's own when both counted the same releases", () => {
    const s = scenario([release(5), release(6)], [4], [{ type: 'DPE_Group_Release', since: 4 }]);
    const [c] = s.oneReleaseChecks;
    const j = new Judgement(ics);
    const atStep = oneReleaseFinding(s, c!, releasesOf(c!));
    assert.ok(atStep);
    assert.equal(j.note(atStep), 'warns');
    for (const f of repeatedReleases(s)) j.note(f);
    assert.equal(j.warnings().length, 1);
  });
});
