/**
 * Every ICS switch is read by the checks it touches, and proven (issue 8): a switchable erratum no
 * check reads, an undeclared reader, or an erratum without variants that prove both readings fails
 * here; the proofs themselves run in `npm run mutation` (scripts/mutation-plan.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MESSAGES } from '../../src/catalog/messages';
import { ERRATA } from '../../src/requirements/errata';
import { HARNESS_READERS } from '../../src/requirements/erratum-readers';
import { FREEDOMS } from '../../src/requirements/freedoms';
import { REQUIREMENTS } from '../../src/requirements/catalog';
import { VARIANTS } from '../../src/server/variants';
import { INDEPENDENT_FREEDOMS } from '../../test/independent/variants';

const ROOT = resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'variants' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Errata the harness's checks read, by the literal ids of its erratumReading calls. */
function readInCode(): Set<string> {
  const ids = new Set<string>();
  for (const f of [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'mocks'))]) {
    for (const m of readFileSync(f, 'utf8').matchAll(/erratumReading\([^)]*'(E\d\d)'\)/g)) ids.add(m[1]!);
  }
  return ids;
}

const switchable = ERRATA.filter((e) => e.governs === 'strict-lenient');

describe('erratum switches', () => {
  it('every switchable erratum is read by a requirement condition, the message catalog or a declared harness check', () => {
    const byCondition = new Set(
      REQUIREMENTS.flatMap((r) => (r.status.kind !== 'mandatory' && 'erratum' in r.status.when ? [r.status.when.erratum] : [])),
    );
    const byCatalog = new Set(MESSAGES.flatMap((m) => m.ies.flatMap((ie) => (ie.lenient ? [ie.lenient.erratum] : []))));
    const byCheck = new Set(HARNESS_READERS.map((r) => r.erratum));
    const unread = switchable.filter((e) => !byCondition.has(e.id) && !byCatalog.has(e.id) && !byCheck.has(e.id)).map((e) => e.id);
    assert.deepEqual(unread, [], 'switches no check reads');
  });

  it('the declared harness readers are exactly the errata the code reads', () => {
    assert.deepEqual([...readInCode()].sort(), [...new Set(HARNESS_READERS.map((r) => r.erratum))].sort());
  });

  it('every switchable erratum names variants that behave per its lenient reading and break something under the strict one', () => {
    for (const e of switchable) {
      assert.ok(e.proof && e.proof.lenient.length > 0, `${e.id}: no proof`);
      for (const n of e.proof.lenient) {
        const v = VARIANTS.find((x) => x.name === n);
        assert.ok(v, `${e.id}: no variant ${n}`);
        assert.ok(v.breaks.length > 0, `${e.id}: ${n} breaks nothing under the strict reading`);
      }
      for (const n of e.proof.independent)
        assert.ok(
          INDEPENDENT_FREEDOMS.some((f) => f.name === n),
          `${e.id}: no independent freedom ${n}`,
        );
    }
  });

  it('a requirement conditional on an erratum reading cites that erratum, and the erratum has text for that reading', () => {
    for (const r of REQUIREMENTS) {
      if (r.status.kind === 'mandatory' || !('erratum' in r.status.when)) continue;
      const c = r.status.when;
      const e = ERRATA.find((x) => x.id === c.erratum)!;
      assert.ok(`${r.text} ${r.reasoning ?? ''} ${r.source.where}`.includes(e.id), `${r.id} does not cite ${e.id}`);
      assert.ok(c.is === 'strict' ? e.strict : e.lenient, `${e.id} has no ${c.is} text for ${r.id}`);
    }
  });
});

describe('freedoms', () => {
  it('every freedom is used by a variant, and every legal variant uses a freedom', () => {
    for (const f of FREEDOMS) {
      assert.ok(f.variants.length + f.independent.length > 0, `${f.id} is used by no variant`);
      for (const n of f.variants) assert.equal(VARIANTS.find((v) => v.name === n)?.kind, 'legal', `${f.id}: ${n} is no legal variant`);
      for (const n of f.independent)
        assert.ok(
          INDEPENDENT_FREEDOMS.some((x) => x.name === n),
          `${f.id}: no independent freedom ${n}`,
        );
    }
    const named = new Set(FREEDOMS.flatMap((f) => f.variants));
    assert.deepEqual(
      VARIANTS.filter((v) => v.kind === 'legal' && !named.has(v.name)).map((v) => v.name),
      [],
    );
  });
});
