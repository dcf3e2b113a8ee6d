/**
 * What `npm test` prints of a failed layer (scripts/layer-failures.ts): the failed tests of a
 * node:test log, named by their suites, with their diagnostics and without the suites that
 * failed only because of them; a log without TAP failures by its tail. The TAP is node's own
 * (a fixture it wrote), not a hand-written imitation.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { failureExcerpt, tapFailures } from '../../scripts/layer-failures';

/** node's own TAP of fixtures/layer-failures/failing.test.js (its first line says how it was made). */
const tap = readFileSync(join(__dirname, 'fixtures', 'layer-failures', 'failing.tap'), 'utf8');

describe('the failed tests of a layer log', () => {
  it('names each failed test by its suites, innermost failures only', () => {
    const failures = tapFailures(tap);
    assert.deepEqual(
      failures.map((f) => f.path),
      [['the merge', 'of shards', 'refuses a duplicate'], ['a test on its own']],
    );
  });

  it('keeps the diagnostics: the assertion message, the location', () => {
    const [inner, own] = tapFailures(tap);
    assert.ok(
      inner?.diagnostics.some((d) => d.includes('one is not two')),
      inner?.diagnostics.join('\n'),
    );
    assert.ok(
      inner?.diagnostics.some((d) => d.startsWith('location:') && d.includes('failing.test.js:7')),
      inner?.diagnostics.join('\n'),
    );
    assert.ok(own?.diagnostics.some((d) => d.includes('second line')));
  });

  it('prints them, and says how many failed', () => {
    const text = failureExcerpt(tap);
    assert.match(text, /^2 failed test\(s\):/);
    assert.match(
      text,
      /✗ the merge › of shards › refuses a duplicate\n {4}---|✗ the merge › of shards › refuses a duplicate\n {4}duration_ms/,
    );
    assert.doesNotMatch(text, /✗ the merge\n/, 'a suite that failed only by its test is not listed');
    assert.doesNotMatch(text, /passes/);
  });

  it("leaves out node's own stack frames", () => {
    const text = failureExcerpt(tap);
    assert.doesNotMatch(text, /node:internal|node:async_hooks/);
    assert.match(text, /failing\.test\.js:7:\d+/);
  });

  it('tells a log with no TAP failure by its last lines', () => {
    const log = Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n');
    const text = failureExcerpt(log, 5);
    assert.equal(text, ['line 55', 'line 56', 'line 57', 'line 58', 'line 59'].join('\n'));
  });
});
