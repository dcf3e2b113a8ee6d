/**
 * Resolves what a suite run targets from cucumber world parameters and environment variables
 * (DPE_TARGET, DPE_ICS, DPE_IXIT, DPE_POLICY, DPE_VARIANT), so the CLI, profiles and CI all
 * use one mechanism.
 */
import { CLIENT_ID_POLICIES, referenceIcs, type ClientIdPolicy, type Ics } from '../config/ics';
import { DEFAULT_IXIT, type Ixit } from '../config/ixit';
import { ConfigError, loadIcs, loadIxit } from '../config/load';

export interface SuiteConfig {
  targetUrl?: string;
  ics: Ics;
  ixit: Ixit;
  variant?: string;
}

export function resolveSuiteConfig(p: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): SuiteConfig {
  const pick = (key: string, envKey: string) => (env[envKey] || (typeof p[key] === 'string' ? (p[key] as string) : undefined)) || undefined;
  const icsFile = pick('ics', 'DPE_ICS');
  const policy = pick('policy', 'DPE_POLICY') ?? 'per-user-and-device';
  if (!icsFile && !CLIENT_ID_POLICIES.includes(policy as ClientIdPolicy)) {
    throw new ConfigError(`policy "${policy}" is not one of ${CLIENT_ID_POLICIES.join(', ')}`);
  }
  const ixitFile = pick('ixit', 'DPE_IXIT');
  return {
    targetUrl: pick('target', 'DPE_TARGET'),
    ics: icsFile ? loadIcs(icsFile) : referenceIcs(policy as ClientIdPolicy),
    ixit: ixitFile ? loadIxit(ixitFile) : DEFAULT_IXIT,
    variant: pick('variant', 'DPE_VARIANT'),
  };
}
