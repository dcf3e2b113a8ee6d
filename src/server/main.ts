/**
 * Standalone reference DPE Server: `npm run server -- --port 7700 --policy per-device`.
 * Prints the URL it listens on ("DPE reference server listening on http://…"), which the
 * harness and container targets wait for.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CLIENT_ID_POLICIES, type ClientIdPolicy } from '../config/ics';
import { buildServer } from './app';
import type { ServiceProvider } from './state';

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
}

function parseSp(v: string, prev: ServiceProvider[]): ServiceProvider[] {
  const [spId, token, ...rest] = v.split(',');
  const notifyUri = rest.join(',');
  if (!spId || !token || !/^https?:\/\//.test(notifyUri)) {
    throw new InvalidArgumentError('expected SP-ID,TOKEN,NOTIFY-URI e.g. maps,secret,http://127.0.0.1:9000/sp/maps');
  }
  return [...prev, { spId, token, notifyUri }];
}

function loadSps(file: string): ServiceProvider[] {
  const list = JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, string>>;
  return list.map((e, i) => {
    for (const k of ['SP-ID', 'Token', 'Notify-URI']) {
      if (typeof e[k] !== 'string') throw new Error(`${file}: entry ${i}: "${k}" must be a string`);
    }
    return { spId: e['SP-ID'], token: e['Token'], notifyUri: e['Notify-URI'] };
  });
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('dpe-reference-server')
    .description('The reference in-memory DPE Server of the conformance harness (HTTP/JSON binding).')
    .option('--port <n>', 'TCP port, 0 for an ephemeral one', parsePort, 7700)
    .option('--host <addr>', 'address to listen on (loopback only on shared machines)', '127.0.0.1')
    .addOption(
      new Option('--policy <policy>', 'Client ID assignment policy of clause 6.1')
        .choices([...CLIENT_ID_POLICIES])
        .default('per-user-and-device'),
    )
    .option('--sp <SP-ID,TOKEN,NOTIFY-URI>', 'onboard a Service Provider statically (repeatable)', parseSp, [])
    .option('--sps-file <file>', 'JSON array of {"SP-ID","Token","Notify-URI"} to onboard')
    .option('--no-provisioning', 'disable the optional /provisioning/* endpoints')
    .addHelpText('after', '\nExample:\n  npm run server -- --port 7700 --policy per-device --sp maps,s3cret,http://127.0.0.1:9000/sp/maps');
  program.parse(argv);
  const o = program.opts<{ port: number; host: string; policy: ClientIdPolicy; sp: ServiceProvider[]; spsFile?: string; provisioning: boolean }>();
  const sps = [...o.sp, ...(o.spsFile ? loadSps(o.spsFile) : [])];
  const dpe = buildServer({
    policy: o.policy,
    serviceProviders: sps,
    provisioningEndpoint: o.provisioning,
    serverDrivenRegistration: o.provisioning,
  });
  const url = await dpe.listen(o.port, o.host);
  console.log(`DPE reference server listening on ${url} (policy ${o.policy}, ${sps.length} SP(s) onboarded)`);
  const stop = () => void dpe.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv).catch((e: Error) => {
    console.error(`dpe-reference-server: ${e.message}`);
    process.exit(2);
  });
}
