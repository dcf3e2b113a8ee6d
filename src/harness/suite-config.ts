/**
 * Resolves what a suite run targets from cucumber world parameters and environment variables
 * (DPE_TARGET, DPE_ICS, DPE_IXIT, DPE_POLICY, DPE_VARIANT, DPE_PREFLIGHT), so the CLI, profiles and CI all
 * use one mechanism; and where this process stands in the run: its cucumber worker number
 * (CUCUMBER_WORKER_ID in a parallel run) and the run's mock-network router (DPE_MOCK_ROUTER,
 * src/cli/router-plugin.ts).
 */
import type { ClientIdPolicy, Ics } from '../config/ics';
import { CLIENT_ID_POLICIES, referenceIcs } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { defaultIxit } from '../config/ixit';
import { ConfigError, loadIcs, loadIxit } from '../config/load';

export interface SuiteConfig {
  targetUrl?: string;
  ics: Ics;
  ixit: Ixit;
  variant?: string;
  /** DPE_PREFLIGHT=passed: the CLI's preflight saw the target answer (src/harness/target.ts judges silence then). */
  preflightPassed: boolean;
  /** This process's worker number in a parallel run (absent: no workers). */
  worker?: string;
  /** Control URL of the run's mock-network router (a fixed mockPort). */
  router?: string;
}

export function resolveSuiteConfig(p: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): SuiteConfig {
  const pick = (key: string, envKey: string) => env[envKey] || (typeof p[key] === 'string' ? (p[key] as string) : undefined) || undefined;
  const icsFile = pick('ics', 'DPE_ICS');
  const policy = pick('policy', 'DPE_POLICY') ?? 'per-user-and-device';
  if (!icsFile && !CLIENT_ID_POLICIES.includes(policy as ClientIdPolicy)) {
    throw new ConfigError(`policy "${policy}" is not one of ${CLIENT_ID_POLICIES.join(', ')}`);
  }
  const ixitFile = pick('ixit', 'DPE_IXIT');
  const targetUrl = pick('target', 'DPE_TARGET');
  return {
    targetUrl,
    ics: icsFile ? loadIcs(icsFile) : referenceIcs(policy as ClientIdPolicy),
    ixit: ixitFile ? loadIxit(ixitFile) : defaultIxit(targetUrl !== undefined),
    variant: pick('variant', 'DPE_VARIANT'),
    preflightPassed: env.DPE_PREFLIGHT === 'passed',
    ...(env.CUCUMBER_PARALLEL === 'true' && env.CUCUMBER_WORKER_ID ? { worker: env.CUCUMBER_WORKER_ID } : {}),
    ...(env.DPE_MOCK_ROUTER ? { router: env.DPE_MOCK_ROUTER } : {}),
  };
}
