/**
 * One grep of a requirement id finds everything about it (issue 8, item 7): for every
 * requirement of 8.2.2 (and the binding rules of a device change), the feature that tags it, the
 * check that judges it (src/harness, mocks), the server code that fulfils it (src/server) and the
 * mutant that breaks it (src/server/variants).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REQUIREMENTS } from '../../src/requirements/catalog';

const ROOT = resolve(__dirname, '..', '..');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}
const text = (list: string[]) => list.map((f) => readFileSync(f, 'utf8')).join('\n');

describe('one grep of a requirement id', () => {
  const features = text(files(join(ROOT, 'features'), '.feature'));
  const checks = text([...files(join(ROOT, 'src', 'harness'), '.ts'), ...files(join(ROOT, 'mocks'), '.ts')]);
  const server = text(files(join(ROOT, 'src', 'server'), '.ts').filter((f) => !f.includes(`${join('server', 'variants')}`)));
  const mutants = text(files(join(ROOT, 'src', 'server', 'variants'), '.ts'));
  const deviceChange = REQUIREMENTS.filter((r) => r.id.startsWith('dc.') && r.level !== 'informative');

  it('finds the feature, the check, the server code and the mutant of every device-change requirement', () => {
    const missing: string[] = [];
    for (const r of deviceChange) {
      if (!new RegExp(`@req-${r.id.replace(/\./g, '\\.')}\\b`).test(features)) missing.push(`${r.id}: no feature`);
      for (const [what, body] of [
        ['check', checks],
        ['server code', server],
        ['mutant', mutants],
      ] as const) {
        if (!body.includes(`'${r.id}'`) && !body.includes(`(${r.id}`) && !body.includes(` ${r.id}`)) missing.push(`${r.id}: no ${what}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(deviceChange.length >= 19);
  });

  it("finds the feature, the check, the server code and the mutant of the binding's guarantees against faults (issue 10)", () => {
    const ids = [
      'cid.report-survives-sp-outage',
      'binding.body-limit',
      'binding.body-limit-413',
      'binding.serves-after-rejection',
      'sp.isolation.conflict-rejected',
      'sp.isolation.keeps-other-sps-settings',
    ];
    const missing: string[] = [];
    for (const id of ids) {
      if (!REQUIREMENTS.some((r) => r.id === id)) missing.push(`${id}: not in the catalog`);
      if (!new RegExp(`@req-${id.replace(/\./g, '\\.')}\\b`).test(features)) missing.push(`${id}: no feature`);
      for (const [what, body] of [
        ['check', checks],
        ['server code', server],
        ['mutant', mutants],
      ] as const) {
        if (!body.includes(`'${id}'`) && !body.includes(`(${id}`) && !body.includes(` ${id}`)) missing.push(`${id}: no ${what}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
