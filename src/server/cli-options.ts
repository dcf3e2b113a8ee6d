/**
 * The standalone server's command line (main.ts) as ServerOptions. The network-facing defaults
 * are the safe ones (docs/security.md): test hooks off, and when switched on behind an admin token.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Onboarding } from '../catalog/test-hooks';
import { HOOK_IE, ONBOARDING_IES } from '../catalog/test-hooks';
import type { ClientIdPolicy } from '../config/ics';
import { CLIENT_ID_POLICIES } from '../config/ics';
import { DEFAULT_DELIVERY } from './delivery-types';
import { DEFAULT_LIMITS } from './limits';
import type { ServerOptions } from './options';
import { DEFAULT_SECURITY } from './security';
import type { ServiceProvider } from './state';

export interface StandaloneConfig {
  port: number;
  host: string;
  drainMs: number;
  logLevel: string;
  options: Omit<ServerOptions, 'logger'>;
}

const int = (what: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${what}: an integer of at least ${min}`);
  return n;
};

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function parseSp(v: string, prev: ServiceProvider[]): ServiceProvider[] {
  const [spId, token, ...rest] = v.split(',');
  const notifyUri = rest.join(',');
  if (!spId || !token || !/^https?:\/\//.test(notifyUri)) {
    throw new InvalidArgumentError('expected SP-ID,TOKEN,NOTIFY-URI e.g. maps,s3cret-token-01,http://127.0.0.1:9000/sp/maps');
  }
  return [...prev, { spId, token, notifyUri }];
}

function loadSps(file: string): ServiceProvider[] {
  const list = JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, string>>;
  return list.map((e, i) => {
    for (const k of ONBOARDING_IES) {
      if (typeof e[k] !== 'string') throw new Error(`${file}: entry ${i}: "${k}" must be a string`);
    }
    const sp = e as Onboarding;
    return { spId: sp[HOOK_IE.SPID], token: sp[HOOK_IE.Token], notifyUri: sp[HOOK_IE.NotifyURI] };
  });
}

interface Parsed {
  port: number;
  host: string;
  policy: ClientIdPolicy;
  sp: ServiceProvider[];
  spsFile?: string;
  testHooks: boolean;
  adminToken?: string;
  notifyHost?: string[];
  trustedProxy?: string[];
  minTokenLength: number;
  spQueryScope: 'any-user' | 'defined-users';
  maxBodyBytes: number;
  maxJsonDepth: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
  attemptTimeoutMs: number;
  deliveryHorizonMs: number;
  maxQueue: number;
  drainMs: number;
  logLevel: string;
}

export function parseStandalone(argv: string[], env: NodeJS.ProcessEnv = process.env): StandaloneConfig {
  const program = new Command('dpe-reference-server')
    .description('The reference in-memory DPE Server of the conformance harness (HTTP/JSON binding). Defaults: docs/security.md.')
    .exitOverride()
    .option('--port <n>', 'TCP port, 0 for an ephemeral one', parsePort, 7700)
    .option('--host <addr>', 'address to listen on (loopback only on shared machines)', '127.0.0.1')
    .addOption(
      new Option('--policy <policy>', 'Client ID assignment policy of clause 6.1')
        .choices([...CLIENT_ID_POLICIES])
        .default('per-user-and-device'),
    )
    .option('--sp <SP-ID,TOKEN,NOTIFY-URI>', 'onboard a Service Provider statically (repeatable)', parseSp, [])
    .option('--sps-file <file>', 'JSON array of {"SP-ID","Token","Notify-URI"} to onboard')
    .option(
      '--test-hooks',
      'offer the test hooks POST /provisioning/service-providers and /provisioning/registration-triggers (needs an admin token)',
      false,
    )
    .addOption(new Option('--admin-token <token>', 'bearer token of the test hooks and of the full GET /health').env('DPE_ADMIN_TOKEN'))
    .option(
      '--notify-host <host>',
      `a host Notify-URIs may name: name, address or CIDR, "*" for any (repeatable; default ${DEFAULT_SECURITY.notifyHosts.join(' ')})`,
      collect,
    )
    .option(
      '--trusted-proxy <addr>',
      `a peer whose X-DPE-* identity headers count: address or CIDR (repeatable; default ${DEFAULT_SECURITY.trustedProxies.join(' ')})`,
      collect,
    )
    .option('--min-token-length <n>', 'shortest SP or admin token accepted', int('--min-token-length', 1), DEFAULT_SECURITY.minTokenLength)
    .addOption(
      new Option('--sp-query-scope <scope>', 'which users an SP may query')
        .choices(['any-user', 'defined-users'])
        .default(DEFAULT_SECURITY.spQueryScope),
    )
    .option('--max-body-bytes <n>', 'largest request body', int('--max-body-bytes', 1), DEFAULT_LIMITS.maxBodyBytes)
    .option('--max-json-depth <n>', 'deepest JSON nesting of a body', int('--max-json-depth', 2), DEFAULT_LIMITS.maxJsonDepth)
    .option(
      '--headers-timeout-ms <n>',
      'time for all request headers to arrive',
      int('--headers-timeout-ms', 1),
      DEFAULT_LIMITS.headersTimeoutMs,
    )
    .option(
      '--request-timeout-ms <n>',
      'time for a whole request to arrive',
      int('--request-timeout-ms', 1),
      DEFAULT_LIMITS.requestTimeoutMs,
    )
    .option('--max-connections <n>', 'open connections at most', int('--max-connections', 1), DEFAULT_LIMITS.maxConnections)
    .option(
      '--attempt-timeout-ms <n>',
      'timeout of one delivery attempt',
      int('--attempt-timeout-ms', 1),
      DEFAULT_DELIVERY.attemptTimeoutMs,
    )
    .option(
      '--delivery-horizon-ms <n>',
      'retry horizon of an outbound message',
      int('--delivery-horizon-ms', 0),
      DEFAULT_DELIVERY.horizonMs,
    )
    .option('--max-queue <n>', 'messages waiting per destination at most', int('--max-queue', 1), DEFAULT_DELIVERY.maxQueuePerDestination)
    .option('--drain-ms <n>', 'on SIGTERM, deliver queued messages for at most this long, then exit', int('--drain-ms', 0), 5_000)
    .addOption(
      new Option('--log-level <level>', 'pino log level (JSON lines on stderr)')
        .choices(['silent', 'error', 'warn', 'info', 'debug'])
        .default('info')
        .env('DPE_LOG_LEVEL'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  npm run server -- --port 7700 --policy per-device --sp maps,s3cret-token-01,http://127.0.0.1:9000/sp/maps',
    );
  program.parse(argv);
  const o = program.opts<Parsed>();
  const sps = [...o.sp, ...(o.spsFile ? loadSps(o.spsFile) : [])];
  const adminToken = o.adminToken ?? env.DPE_ADMIN_TOKEN;
  if (o.testHooks && !adminToken) throw new Error('--test-hooks needs an admin token: --admin-token <token> or DPE_ADMIN_TOKEN');
  for (const [what, token] of [['admin token', adminToken], ...sps.map((sp) => [`token of SP ${sp.spId}`, sp.token])] as const) {
    if (token !== undefined && token.length < o.minTokenLength)
      throw new Error(`the ${what} is shorter than ${o.minTokenLength} characters (--min-token-length)`);
  }
  return {
    port: o.port,
    host: o.host,
    drainMs: o.drainMs,
    logLevel: o.logLevel,
    options: {
      policy: o.policy,
      serviceProviders: sps,
      provisioningEndpoint: o.testHooks,
      serverDrivenRegistration: o.testHooks,
      adminToken,
      limits: {
        maxBodyBytes: o.maxBodyBytes,
        maxJsonDepth: o.maxJsonDepth,
        headersTimeoutMs: o.headersTimeoutMs,
        requestTimeoutMs: o.requestTimeoutMs,
        maxConnections: o.maxConnections,
      },
      security: {
        minTokenLength: o.minTokenLength,
        spQueryScope: o.spQueryScope,
        ...(o.notifyHost ? { notifyHosts: o.notifyHost } : {}),
        ...(o.trustedProxy ? { trustedProxies: o.trustedProxy } : {}),
      },
      delivery: { attemptTimeoutMs: o.attemptTimeoutMs, horizonMs: o.deliveryHorizonMs, maxQueuePerDestination: o.maxQueue },
    },
  };
}
