/**
 * Resolves what a suite run targets from cucumber world parameters and environment variables
 * (DPE_TARGET, DPE_ICS, DPE_IXIT, DPE_POLICY, DPE_VARIANT, DPE_PREFLIGHT), so the CLI, profiles and CI all
 * use one mechanism.
 */
import { CLIENT_ID_POLICIES, referenceIcs, type ClientIdPolicy, type Ics } from '../config/ics';
import { defaultIxit, type Ixit } from '../config/ixit';
import { ConfigError, loadIcs, loadIxit } from '../config/load';

export interface SuiteConfig {
  targetUrl?: string;
  ics: Ics;
  ixit: Ixit;
  variant?: string;
  /** DPE_PREFLIGHT=passed: the CLI's preflight saw the target answer (src/harness/target.ts judges silence then). */
  preflightPassed: boolean;
}

export function resolveSuiteConfig(p: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): SuiteConfig {
  const pick = (key: string, envKey: string) => (env[envKey] || (typeof p[key] === 'string' ? (p[key] as string) : undefined)) || undefined;
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
  };
}
