/**
 * The rule that keeps test/unit fast (test/README.md): a unit test runs in its own process; a
 * test that starts another process (the CLI, a suite run, a server process, npm, Docker) is an
 * integration test and lives in test/integration. And every folder of test/ is type-checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const UNIT = join(ROOT, 'test', 'unit');

/** What starts another process, as the tests of this repository do it. */
const STARTS_A_PROCESS: Array<[RegExp, string]> = [
  [/from ['"]node:child_process['"]|require\(['"](node:)?child_process['"]\)/, 'node:child_process'],
  [/\brunSuiteProcess\b|\bSuitePool\b/, 'a suite run (src/harness/suite-process.ts)'],
  [/\bstartReferenceProcess\b|\bstartIndependent\b|\bstartListening\b|\bstartBenchServer\b/, 'a server process'],
  [/\bstartContainerTarget\b|from ['"]testcontainers['"]/, 'a container'],
  [/cli-support['"]/, 'the CLI (test/integration/cli-support.ts)'],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('no file of test/unit starts another process', () => {
  const found = files(UNIT)
    .filter((f) => f !== __filename)
    .flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return STARTS_A_PROCESS.filter(([re]) => re.test(text)).map(
        ([, what]) => `${relative(ROOT, f)} starts ${what}: move it to test/integration/`,
      );
    });
  assert.deepEqual(found, []);
});

test("every folder of test/ but test/independent is in tsconfig.json's include, so npm run typecheck checks it", () => {
  const include = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] }).include;
  const folders = readdirSync(join(ROOT, 'test'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'independent')
    .map((e) => `test/${e.name}`);
  assert.deepEqual(
    folders.filter((f) => !include.includes(f)),
    [],
    'add the folder to "include" of tsconfig.json (test/independent has its own tsconfig)',
  );
  assert.ok(!include.some((i) => i === 'test' || i.startsWith('test/independent')), 'test/independent is checked by its own tsconfig');
});
