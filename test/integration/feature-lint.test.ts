/**
 * The feature linter (`npm run lint:features`: gplint with .gplintrc and the Rule-aware rules of
 * scripts/lint/rules/): the real features pass, a well-formed fixture passes, and each bad
 * fixture under fixtures/lint/bad/ is caught by the rule meant for it, at its line — inside
 * Rule blocks, where gplint's own structural rules do not look.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ErrorsByFile } from 'gplint';
import { errorCount, lintFeatures, parseLintArgs } from '../../scripts/lint-features';
import { featureFiles } from '../../src/requirements/features';

const ROOT = resolve(__dirname, '../..');
const FIX = join(__dirname, 'fixtures', 'lint');
const bad = (name: string) => join(FIX, 'bad', `${name}.feature`);

/** rule@line of every error, in order. */
function found(results: ErrorsByFile[]): string[] {
  return results.flatMap((r) => r.errors.filter((e) => e.level === 2).map((e) => `${e.rule}@${e.line}`));
}

async function lint(...files: string[]): Promise<string[]> {
  return found(await lintFeatures(files));
}

describe('feature lint', () => {
  it('passes every feature file of features/', async () => {
    const results = await lintFeatures(featureFiles(join(ROOT, 'features')));
    assert.ok(results.length >= 10, `linted ${results.length} files`);
    assert.deepEqual(found(results), []);
  });

  it('passes a well-formed feature with a Rule, a Background and an outline', async () => {
    assert.deepEqual(await lint(join(FIX, 'good', 'rules-and-outlines.feature')), []);
  });

  it('fails a scenario inside a Rule that has no @req- tag', async () => {
    const results = await lintFeatures([bad('missing-req')]);
    assert.deepEqual(found(results), ['required-tags@11']);
    assert.match(results[0]!.errors[0]!.message, /@req-/);
    assert.equal(errorCount(results), 1);
  });

  it('fails a scenario inside a Rule that has no @clause- tag, inherited or its own', async () => {
    assert.deepEqual(await lint(bad('missing-clause')), ['required-tags@6']);
  });

  it('fails empty Rules and scenarios, and unnamed scenarios, inside Rule blocks', async () => {
    assert.deepEqual(await lint(bad('empty-parts')), ['dpe-no-empty@4', 'dpe-no-empty@9', 'dpe-named@12']);
  });

  it('fails a step with no text', async () => {
    assert.deepEqual(await lint(bad('empty-step')), ['no-multiline-steps@9']);
  });

  it('fails unknown requirement ids, clauses and harness needs, foreign tags, repeated and badly spaced tags', async () => {
    assert.deepEqual(await lint(bad('tags')), ['dpe-tags@6', 'dpe-tags@10', 'dpe-tags@14', 'dpe-tags@18', 'dpe-tags@22', 'dpe-tags@30']);
  });

  it('fails trailing spaces, bad indentation inside a Rule, double blank lines and a missing final newline', async () => {
    assert.deepEqual(await lint(bad('layout')), [
      'no-trailing-spaces@8',
      'dpe-indentation@8',
      'no-multiple-empty-lines@10',
      'dpe-indentation@12',
      'new-line-at-eof@13',
    ]);
  });

  it('fails outline placeholders without a column and columns without a placeholder', async () => {
    assert.deepEqual(await lint(bad('outline')), ['dpe-outline-variables@11', 'dpe-outline-variables@12']);
  });

  it('fails duplicate scenario names in two Rules of one file and across files, and duplicate feature names', async () => {
    const results = await lintFeatures([bad('duplicate-a'), bad('duplicate-b')]);
    const all = found(results);
    assert.equal(all.filter((x) => x.startsWith('dpe-no-dupe-names@')).length, 2, all.join(', '));
    // gplint lints files concurrently: which of the two is reported as the repeat is I/O order
    assert.ok(
      results.some((r) => r.errors.some((e) => /already used at .*duplicate-(a\.feature:7|b\.feature:\d+)/.test(e.message))),
      JSON.stringify(results.map((r) => r.errors.map((e) => e.message))),
    );
    const features = found(
      await lintFeatures([bad('duplicate-feature'), join(FIX, 'good', 'rules-and-outlines.feature'), bad('missing-req')]),
    );
    assert.deepEqual(features, ['required-tags@11']);
    const twice = found(await lintFeatures([bad('duplicate-a'), bad('duplicate-feature')]));
    assert.ok(twice.includes('dpe-no-dupe-names@2'), twice.join(', '));
  });

  it('looks for duplicates within one lint run only (linting again finds none in a clean file)', async () => {
    const good = join(FIX, 'good', 'rules-and-outlines.feature');
    assert.deepEqual(await lint(good), []);
    assert.deepEqual(await lint(good), []);
  });

  it('refuses to lint nothing or a path that does not exist (usage mistakes)', () => {
    const empty = mkdtempSync(join(tmpdir(), 'dpe-lint-'));
    try {
      assert.match(String(parseLintArgs([empty])), /no \.feature file/);
      assert.match(String(parseLintArgs([join(empty, 'nope')])), /no such file or folder/);
      assert.match(String(parseLintArgs(['--format', 'xml'])), /stylish or json/);
      assert.match(String(parseLintArgs(['--fix'])), /unknown option/);
      const ok = parseLintArgs([join(FIX, 'good')]);
      assert.ok(typeof ok !== 'string' && ok.files.length === 1);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('as a command: exit 1 naming the rule for a bad feature, 2 for a usage mistake', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'scripts', 'lint-features.ts'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const r1 = run([bad('missing-req')]);
    assert.equal(r1.status, 1, r1.stderr);
    assert.match(r1.stdout, /required-tags/);
    assert.match(r1.stdout, /missing-req\.feature/);
    const r2 = run(['no/such/folder']);
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /no such file or folder/);
  });
});
