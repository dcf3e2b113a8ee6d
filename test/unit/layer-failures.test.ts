/**
 * What `npm test` prints of a failed layer (scripts/layer-failures.ts): the failed tests of a
 * node:test log, named by their suites, with their diagnostics and without the suites that
 * failed only because of them; a log without TAP failures by its tail. The TAP is node's own,
 * written by a test file run here, not a hand-written imitation.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { failureExcerpt, tapFailures } from '../../scripts/layer-failures';

const TESTS = `
const { describe, it } = require('node:test');
const assert = require('node:assert');
describe('the merge', () => {
  it('passes', () => {});
  describe('of shards', () => {
    it('refuses a duplicate', () => { assert.strictEqual(1, 2, 'one is not two'); });
  });
  it('passes too', () => {});
});
it('a test on its own', () => { throw new Error('boom: {"a":1}\\nsecond line'); });
it('a passing one', () => {});
`;

describe('the failed tests of a layer log', () => {
  let dir = '';
  let tap = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'layer-failures-'));
    writeFileSync(join(dir, 'x.test.js'), TESTS);
    // without the variable by which node:test tells its own children to report to it
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    tap = await new Promise<string>((done) =>
      execFile(process.execPath, ['--test', '--test-reporter=tap', 'x.test.js'], { cwd: dir, env }, (_err, stdout) => done(stdout)),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

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
      inner?.diagnostics.some((d) => d.startsWith('location:') && d.includes('x.test.js:7')),
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

  it('tells a log with no TAP failure by its last lines', () => {
    const log = Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n');
    const text = failureExcerpt(log, 5);
    assert.equal(text, ['line 55', 'line 56', 'line 57', 'line 58', 'line 59'].join('\n'));
  });
});
