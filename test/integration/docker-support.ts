/** Shared by the tests that need a Docker engine (container target, harness image). */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { dockerAvailable } from '../../src/harness/container-target';

/** Skips the test when no engine answers, except under CI=true where that is a failure. */
export async function requireDocker(t: TestContext): Promise<boolean> {
  const d = await dockerAvailable();
  if (d.ok) return true;
  if (process.env.CI === 'true') assert.fail(`no Docker engine under CI=true (scripts/ci-docker.sh starts one): ${d.reason}`);
  t.skip(`no Docker engine: ${d.reason}`);
  return false;
}
