/**
 * One grep of a requirement id finds everything about it (issue 8, item 7): for every
 * requirement of 8.2.2 (and the binding rules of a device change), the feature that tags it, the
 * check that judges it (src/harness, mocks), the server code that fulfils it (src/server) and the
 * mutant that breaks it (src/server/variants). Issue 12: so for every requirement a mutant of the
 * variant registry breaks, save the listed exceptions whose judgement has no check of its own.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REQUIREMENTS } from '../../src/requirements/catalog';
import { VARIANTS } from '../../src/server/variants';

const ROOT = resolve(__dirname, '..', '..');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}
const text = (list: string[]) => list.map((f) => readFileSync(f, 'utf8')).join('\n');

/** Whether `body` names `id` as a whole id: not as part of a longer one (binding.body-limit in binding.body-limit-413). */
const names = (body: string, id: string) => new RegExp(`(?<![\\w.-])${id.replace(/\./g, '\\.')}(?![\\w-]|\\.\\w)`).test(body);

/**
 * Requirements with a mutant whose harness judgement has no code of its own: the scenario tagged
 * with the id judges it only through generic steps whose checks belong to another requirement, so
 * no line of src/harness or mocks is the check of it (issue 12; naming the id at a generic check
 * would claim a check that does not exist). Each still has its feature, server code and mutant.
 */
const CHECK_EXCEPTIONS: Readonly<Record<string, string>> = {
  'reg.client-driven':
    'judged by "is given a Client ID" (reg.response-client-id) and the query answer (query.current-associations) after a re-registration the client starts',
  'reg.retain-association':
    'observed through its effects (E16): the query answer (query.current-associations) and the policy checks of an unchanged re-registration',
  'reg.identity-from-request':
    'the mock device puts its identities in the IEs; judged by the query answer (query.current-associations) for the user the IE named',
  'reg.identity-from-network':
    'the mock device sends X-DPE-* headers instead of IEs (mocks/device.ts, a stimulus); judged by "is given a Client ID" and the query answer',
  'reg.single-identity-accepted':
    'a registration without a SIM, and one without a device identity (mocks/device.ts, stimuli); judged by "is given a Client ID" (reg.response-client-id) and, for the user-only one, the query answer (query.current-associations)',
  'reg.ip-change-not-device-change':
    'the mock device sends X-Forwarded-For (a stimulus); judged by "receives no release" (dc.unchanged-no-releases) and the policy checks',
  'reg.shared-ip-distinct-devices':
    'judged by "Client IDs differ" (reg.client-id-unique) and the query answers (query.current-associations) of two devices behind one address',
  'reg.identity-ie-over-header':
    "judged by the query answers (query.current-associations, msg.client-id-response.null-when-none) for the IE's user and the header's",
};

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

  it('finds the feature, the check and the server code of every requirement a mutant breaks (issue 12)', () => {
    const broken = new Set(VARIANTS.filter((v) => v.kind === 'mutant').flatMap((v) => v.breaks));
    const mutated = REQUIREMENTS.filter((r) => broken.has(r.id));
    const missing: string[] = [];
    for (const r of mutated) {
      if (!new RegExp(`@req-${r.id.replace(/\./g, '\\.')}(?![\\w.-])`).test(features)) missing.push(`${r.id}: no feature`);
      if (!names(server, r.id)) missing.push(`${r.id}: no server code`);
      if (!names(mutants, r.id)) missing.push(`${r.id}: no mutant in src/server/variants`);
      const excepted = r.id in CHECK_EXCEPTIONS;
      if (!names(checks, r.id) && !excepted) missing.push(`${r.id}: no check`);
      // an exception that now has a check of its own is stale: remove it
      if (names(checks, r.id) && excepted) missing.push(`${r.id}: named in the checks, so no longer a CHECK_EXCEPTIONS entry`);
    }
    for (const id of Object.keys(CHECK_EXCEPTIONS)) if (!broken.has(id)) missing.push(`${id}: an exception without a mutant`);
    assert.deepEqual(missing, []);
    // every normative requirement is broken by some mutant (the informative ones are NOT_MUTABLE)
    assert.ok(mutated.length >= REQUIREMENTS.filter((r) => r.level !== 'informative').length);
  });
});
