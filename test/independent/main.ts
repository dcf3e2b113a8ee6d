// CLI of the independent DPE server. Prints exactly one line once listening:
//   independent DPE server listening on http://127.0.0.1:<port>
import { buildServer } from './server';
import type { SpConfig } from './types';
import {
  icsWithFreedoms, INDEPENDENT_FAULTS, INDEPENDENT_FREEDOMS, isFaultName, isFreedomName, POLICIES,
  type ClientIdPolicy, type FaultName, type FreedomName,
} from './variants';

const USAGE = `usage: main.ts [--port <n>] [--host <addr>] [--policy ${POLICIES.join('|')}]
  [--fault <name>] [--freedom <name>]... [--sp <spId>,<token>,<notifyUri>]...
  [--allow-remote-notify] [--print-ics]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

interface Cli {
  port: number; host: string; policy: ClientIdPolicy; fault?: FaultName; freedoms: FreedomName[];
  sps: SpConfig[]; allowRemoteNotify: boolean; printIcs: boolean;
}

function parse(argv: string[]): Cli {
  const cli: Cli = { port: 0, host: '127.0.0.1', policy: 'per-user-and-device', freedoms: [], sps: [], allowRemoteNotify: false, printIcs: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[i + 1];
      if (v === undefined) fail(`${flag} needs a value`);
      i += 1;
      return v;
    };
    switch (flag) {
      case '--port': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 65535) fail('--port must be an integer 0..65535');
        cli.port = n;
        break;
      }
      case '--host': cli.host = value(); break;
      case '--policy': {
        const p = value();
        if (!(POLICIES as readonly string[]).includes(p)) fail(`unknown policy "${p}"; one of: ${POLICIES.join(', ')}`);
        cli.policy = p as ClientIdPolicy;
        break;
      }
      case '--fault': {
        const f = value();
        if (cli.fault !== undefined) fail('at most one --fault');
        if (!isFaultName(f)) fail(`unknown fault "${f}"; known faults:\n  ${INDEPENDENT_FAULTS.map((x) => x.name).join('\n  ')}`);
        cli.fault = f;
        break;
      }
      case '--freedom': {
        const f = value();
        if (!isFreedomName(f)) fail(`unknown freedom "${f}"; known freedoms:\n  ${INDEPENDENT_FREEDOMS.map((x) => x.name).join('\n  ')}`);
        cli.freedoms.push(f);
        break;
      }
      case '--sp': {
        const [spId, token, ...rest] = value().split(',');
        const notifyUri = rest.join(',');
        if (!spId || !token || !notifyUri) fail('--sp needs <spId>,<token>,<notifyUri>');
        cli.sps.push({ spId, token, notifyUri });
        break;
      }
      case '--allow-remote-notify': cli.allowRemoteNotify = true; break;
      case '--print-ics': cli.printIcs = true; break;
      case '--help': process.stdout.write(`${USAGE}\n`); process.exit(0);
      default: fail(`unknown option "${flag}"`);
    }
  }
  return cli;
}

async function main(): Promise<void> {
  const cli = parse(process.argv.slice(2));
  if (cli.printIcs) {
    process.stdout.write(`${JSON.stringify(icsWithFreedoms(cli.policy, cli.freedoms), null, 2)}\n`);
    return;
  }
  const dpe = buildServer({ policy: cli.policy, fault: cli.fault, freedoms: cli.freedoms, sps: cli.sps, allowRemoteNotify: cli.allowRemoteNotify });
  // Handlers first: stdout to a pipe is synchronous, a reader may signal us at once.
  const stop = (): void => { void dpe.close().then(() => process.exit(0)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const url = await dpe.listen(cli.port, cli.host);
  process.stdout.write(`independent DPE server listening on ${url}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`independent DPE server failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
