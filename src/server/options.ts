/** Options of buildServer, and their defaults (docs/security.md names each switch). */
import pino from 'pino';
import type { Logger } from 'pino';
import type { ClientIdPolicy } from '../config/ics';
import type { ErratumReadings } from '../catalog/schemas';
import type { DeliveryLog, DeliveryOptions } from './delivery-types';
import type { InputLimits } from './limits';
import { DEFAULT_LIMITS } from './limits';
import type { SecurityOptions } from './security';
import { DEFAULT_SECURITY } from './security';
import type { ServerSeams } from './seams';
import type { ServiceProvider } from './state';

export interface ServerOptions {
  policy: ClientIdPolicy;
  /** SPs onboarded by static configuration. */
  serviceProviders?: ServiceProvider[];
  /** Test hook POST /provisioning/service-providers (default on: the embedded server follows its ICS). */
  provisioningEndpoint?: boolean;
  networkIdentityHeaders?: boolean;
  /** Test hook POST /provisioning/registration-triggers (default on, as provisioningEndpoint). */
  serverDrivenRegistration?: boolean;
  nullUserReports?: boolean;
  erratumReadings?: ErratumReadings;
  delivery?: Partial<DeliveryOptions>;
  /** Shorthand for limits.maxBodyBytes. */
  maxBodyBytes?: number;
  limits?: Partial<InputLimits>;
  security?: Partial<SecurityOptions>;
  /**
   * Bearer token the test hooks require. Absent: the hooks are open — only for the embedded server
   * the harness starts in-process on loopback; the standalone server (main.ts) always sets one.
   */
  adminToken?: string;
  /** Structured log (give-ups and lifecycle); default: silent. */
  logger?: Logger;
  seams?: Partial<ServerSeams>;
  /** Called for every outbound delivery attempt (for logs and tests). */
  onDelivery?: DeliveryLog;
}

export interface ResolvedOptions {
  policy: ClientIdPolicy;
  provisioningEndpoint: boolean;
  networkIdentityHeaders: boolean;
  serverDrivenRegistration: boolean;
  nullUserReports: boolean;
  limits: InputLimits;
  security: SecurityOptions;
  adminToken: string | undefined;
  logger: Logger;
}

export function resolveOptions(o: ServerOptions): ResolvedOptions {
  return {
    policy: o.policy,
    provisioningEndpoint: o.provisioningEndpoint ?? true,
    networkIdentityHeaders: o.networkIdentityHeaders ?? true,
    serverDrivenRegistration: o.serverDrivenRegistration ?? true,
    nullUserReports: o.nullUserReports ?? true,
    limits: { ...DEFAULT_LIMITS, ...o.limits, ...(o.maxBodyBytes !== undefined ? { maxBodyBytes: o.maxBodyBytes } : {}) },
    security: { ...DEFAULT_SECURITY, ...o.security },
    adminToken: o.adminToken,
    logger: o.logger ?? pino({ level: 'silent' }),
  };
}
