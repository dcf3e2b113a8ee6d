/**
 * The registry of faulty and legal servers (src/server/variants/): every requirement has a
 * mutant or a stated reason why not, every mutant names requirements that exist, and every
 * variant builds and answers a registration (a variant that cannot start measures nothing).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REQUIREMENTS } from '../../src/requirements/catalog';
import { FREEDOMS } from '../../src/requirements/freedoms';
import { NOT_MUTABLE, VARIANTS, buildVariant } from '../../src/server/variants';
import { AREAS } from '../../src/server/variants/areas';

describe('server variants', () => {
  it('every requirement has a mutant or a NOT_MUTABLE reason, never both', () => {
    for (const r of REQUIREMENTS) {
      const mutated = VARIANTS.some((v) => v.kind === 'mutant' && v.breaks.includes(r.id));
      assert.ok(
        mutated !== r.id in NOT_MUTABLE,
        `${r.id}: ${mutated ? 'has a mutant and a NOT_MUTABLE entry' : 'has neither a mutant nor a NOT_MUTABLE entry'}`,
      );
    }
  });

  it('mutants break known requirements; legal variants break none; names are unique', () => {
    const names = new Set<string>();
    for (const v of VARIANTS) {
      assert.ok(!names.has(v.name), `duplicate variant name ${v.name}`);
      names.add(v.name);
      if (v.kind === 'mutant') assert.ok(v.breaks.length > 0, `${v.name} breaks nothing`);
      else assert.deepEqual(v.breaks, [], `legal variant ${v.name} names broken requirements`);
      for (const id of v.breaks)
        assert.ok(
          REQUIREMENTS.some((r) => r.id === id),
          `${v.name} breaks unknown requirement ${id}`,
        );
    }
    for (const id of Object.keys(NOT_MUTABLE))
      assert.ok(
        REQUIREMENTS.some((r) => r.id === id),
        `NOT_MUTABLE names unknown ${id}`,
      );
  });

  it('every variant is filed under exactly one procedure area, which declares what its variants break and exercise', () => {
    const filed = AREAS.flatMap((a) => [...a.mutants, ...a.legal].map((v) => v.name));
    assert.deepEqual([...filed].sort(), VARIANTS.map((v) => v.name).sort(), 'the areas hold exactly the registry, each variant once');
    for (const a of AREAS) {
      assert.ok(
        a.mutants.every((v) => v.kind === 'mutant') && a.legal.every((v) => v.kind === 'legal'),
        `${a.area}: a variant in the wrong list`,
      );
      const broken = [...new Set(a.mutants.flatMap((v) => v.breaks))].sort();
      assert.deepEqual([...a.breaks].sort(), broken, `${a.area}: declared breaks differ from its mutants' breaks`);
      const used = [...new Set(FREEDOMS.filter((f) => a.legal.some((v) => f.variants.includes(v.name))).map((f) => f.id))].sort();
      assert.deepEqual([...a.freedoms].sort(), used, `${a.area}: declared freedoms differ from those its legal variants use`);
    }
  });

  it('every variant builds and answers a registration', async () => {
    for (const v of VARIANTS) {
      const dpe = buildVariant(v.name, { policy: v.policies?.[0] ?? 'per-user-and-device', delivery: { attemptTimeoutMs: 200 } });
      const url = await dpe.listen(0, '127.0.0.1');
      try {
        const res = await fetch(`${url}/dpe-1`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            'Message-Type': 'DPE_Registration_Request',
            'Message-ID': 'm-1',
            'User-Identity': 'tel:+15550000001',
            'Device-Identity': '350000000000001',
            'Notify-URI': 'http://127.0.0.1:9/unused',
          }),
        });
        await res.arrayBuffer();
        assert.equal(res.status, 200, `${v.name}: registration answered ${res.status}`);
      } finally {
        await dpe.close();
      }
    }
  });
});
