/**
 * A cucumber-js coordinator plugin: with a fixed IXIT mockPort, the run's one mock-network router
 * (mocks/router.ts) listens on it in the coordinating process, before any worker starts, and its
 * control address reaches every worker as DPE_MOCK_ROUTER (workers are child processes forked with
 * process.env; a run without workers reads it in-process). When the run ends, the
 * messages no worker could own are written to the run's late verdicts (they fail it: summary
 * `unowned`) and printed. With mockPort 0 every worker's network listens on a port of its own and
 * the plugin does nothing. Loaded by the CLI (src/cli/cucumber-run.ts) and by cucumber.js.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plugin } from '@cucumber/cucumber/api';
import type { MockRouter } from '../../mocks/router';
import type { LateVerdict } from '../report/verdict';
import { lateVerdictsPath, unownedVerdict } from '../report/verdict';

export const ROUTER_ENV = 'DPE_MOCK_ROUTER';

/** Ends the run's router and reports what nobody could own; returns those late verdicts. */
export async function closeRouter(
  router: Pick<MockRouter, 'stop' | 'unowned' | 'tooLate' | 'baseUrl'>,
  env: NodeJS.ProcessEnv,
  stderr: NodeJS.WritableStream,
): Promise<LateVerdict[]> {
  await router.stop();
  const late = router.unowned.map(unownedVerdict);
  const file = lateVerdictsPath(env);
  if (late.length && file) {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${late.map((l) => JSON.stringify(l)).join('\n')}\n`);
  }
  if (late.length) {
    stderr.write(
      `dpe-conformance: the mock router at ${router.baseUrl} got ${late.length} message(s) no worker can own${file ? ` (written to ${file})` : ''}:\n` +
        late
          .slice(0, 20)
          .map((l) => `  ${l.message}\n`)
          .join(''),
    );
  }
  if (router.tooLate.length) {
    stderr.write(
      `dpe-conformance: ${router.tooLate.length} message(s) came for a scenario after its worker had ended (not judged): ${router.tooLate
        .slice(0, 5)
        .map((t) => t.path)
        .join(', ')}\n`,
    );
  }
  return late;
}

const plugin: Plugin<{ worldParameters?: Record<string, unknown>; parallel?: number }> = {
  type: 'plugin',
  optionsKey: 'dpe',
  coordinator: async ({ operation, environment, options }) => {
    if (operation !== 'runCucumber') return;
    const env = environment.env as NodeJS.ProcessEnv;
    // without an IXIT file the mock port is ephemeral: nothing to route (and nothing more to load)
    if (!env.DPE_IXIT && typeof options?.worldParameters?.ixit !== 'string') return;
    const { resolveSuiteConfig } = await import('../harness/suite-config');
    const { ixit } = resolveSuiteConfig(options?.worldParameters ?? {}, env);
    if (ixit.mockPort === 0) return;
    const { MockRouter } = await import('../../mocks/router');
    const router = new MockRouter(ixit.mockHost, ixit.mockPort, ixit.advertisedHost, options?.parallel ?? 0);
    try {
      await router.start();
    } catch (e) {
      // cucumber reports only that the plugin "errored when trying to init": say why first
      environment.stderr.write(
        `dpe-conformance: the mock-network router cannot listen on mockHost ${ixit.mockHost}, mockPort ${ixit.mockPort}: ${(e as Error).message}\n`,
      );
      throw e;
    }
    // the plugin's environment is a copy: workers are forked with (and an in-process run reads) the run's own, process.env
    process.env[ROUTER_ENV] = router.controlUrl;
    return async () => {
      delete process.env[ROUTER_ENV];
      await closeRouter(router, env, environment.stderr);
    };
  },
};

export default plugin;
