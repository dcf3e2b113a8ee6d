/**
 * The release steps (steps/support/release-steps.ts) decide which scenarios wait, before their
 * action, for the releases their set-up caused (issue 9, item 2): every step whose check looks
 * at a device's releases must be one, each one must match step texts of the features, and the
 * devices it names are the ones waited for.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSuiteScenarios } from '../../src/cli/suite-scenarios';
import { expressionRegExp, releasesLookedAt, releaseStep } from '../../steps/support/release-steps';

const ROOT = resolve(__dirname, '..', '..');

/** Calls of the checks that look at the releases a device received after an action (a message table: of a device's message). */
const LOOKS_AT_RELEASES = [
  ...[
    'expectGroupReleaseAll',
    'expectPolicyReleaseAll',
    'expectRestored',
    'expectReleasesBeforeSets',
    'expectNoReleases',
    'expectSingleWildcardRelease',
    'expectAddressedToCurrent',
    'expectGroupsBeforeTheirPolicies',
  ].map(
    // the device-change and message checks; other areas' methods of the same name judge state
    (c) => new RegExp(`\\.(?:deviceChange|messages)\\s*\\.${c}\\(`),
  ),
  /\.expectMessageTable\(\s*\{[^}]*\bdevice\b/,
];

/** Every step definition of steps/: its expression text, whether it is a releaseStep, and its body. */
function stepDefinitions(): Array<{ expression: string; release: boolean; body: string; file: string }> {
  const dir = join(ROOT, 'steps');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.steps.ts'))
    .flatMap((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return text
        .split(/\n(?=(?:Given|When|Then)\()/)
        .slice(1)
        .map((block) => {
          const m = /^(?:Given|When|Then)\(\s*(releaseStep\(\s*)?(['"])(.*?)\2/s.exec(block);
          return { expression: m?.[3] ?? '', release: Boolean(m?.[1]), body: block, file };
        })
        .filter((d) => d.expression);
    });
}

describe('release steps', () => {
  const defs = stepDefinitions();
  for (const d of defs.filter((x) => x.release)) releaseStep(d.expression);
  const texts = loadSuiteScenarios(ROOT).flatMap((s) => s.steps);

  it('every step whose check looks at releases is a release step, and no other is', () => {
    assert.ok(defs.length > 40, `read ${defs.length} step definitions`);
    for (const d of defs) {
      const looks = LOOKS_AT_RELEASES.some((c) => c.test(d.body));
      assert.equal(
        d.release,
        looks,
        `${d.file}: "${d.expression}" ${looks ? 'looks at releases: define it with releaseStep()' : 'is a releaseStep but calls no release check'}`,
      );
    }
  });

  it('matches step texts of the features, and names the devices they are about', () => {
    for (const d of defs.filter((x) => x.release)) {
      assert.ok(
        texts.some((t) => expressionRegExp(d.expression).test(t)),
        `"${d.expression}" matches no step of the features`,
      );
    }
    assert.deepEqual(releasesLookedAt('phone B receives a group release for all groups'), ['phone B']);
    assert.deepEqual(releasesLookedAt('the DPE_Group_Release tablet B receives carries:'), ['tablet B']);
    assert.deepEqual(releasesLookedAt('everything phone A receives for the device change is labelled with its Client ID'), ['phone A']);
    assert.deepEqual(releasesLookedAt('phone B is set nothing that was not defined for Alice'), []);
    assert.deepEqual(releasesLookedAt('phone B receives a group release for all groups, twice'), [], 'anchored');
  });

  it('refuses what it cannot match faithfully', () => {
    assert.throws(() => expressionRegExp('{device} receives (a) release'), /not supported/);
    assert.throws(() => expressionRegExp('{gadget} receives a release'), /unknown parameter type \{gadget\}/);
    assert.ok(expressionRegExp('{device} holds the group {string}').test('phone A holds the group "x"'));
  });
});
