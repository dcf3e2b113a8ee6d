/**
 * CI proof of the external path: starts the reference DPE Server as a separate OS process on
 * an ephemeral loopback port, runs the suite against it by URL through the CLI, stops it and
 * exits with the CLI's exit code.
 *
 *   npm run conformance:url [-- <dpe-conformance run options>]
 *
 * Defaults to the example ICS and IXIT (docs/examples); the server's Client ID policy is the
 * one the ICS declares, and the IXIT's SPs are onboarded through its provisioning endpoint (a test
 * hook behind the server's admin token, which the CLI adds as --hooks-token, from the environment).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { loadIcs } from '../src/config/load';
import { startReferenceProcess } from '../src/cli/reference-process';

const ROOT = resolve(__dirname, '..');

function optionValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function main(args: string[]): Promise<number> {
  const icsFile = optionValue(args, '--ics') ?? 'docs/examples/ics.json';
  const extra = [...args];
  if (!optionValue(args, '--ics')) extra.push('--ics', resolve(ROOT, icsFile));
  if (!optionValue(args, '--ixit')) extra.push('--ixit', resolve(ROOT, 'docs/examples/ixit.json'));
  const policy = loadIcs(resolve(icsFile)).clientIdPolicy;

  const server = await startReferenceProcess(['--policy', policy]);
  console.error(`run-against-process: reference server (pid ${server.child.pid}) on ${server.url}`);
  try {
    const cli = spawn(process.execPath, [resolve(ROOT, 'bin/dpe-conformance.js'), 'run', '--target', server.url, ...extra], {
      stdio: 'inherit',
      env: { ...process.env, DPE_HOOKS_TOKEN: server.adminToken },
    });
    return await new Promise<number>((r) => cli.once('exit', (code, signal) => r(code ?? (signal ? 2 : 0))));
  } finally {
    await server.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    console.error(`run-against-process: ${e.message}`);
    process.exitCode = 2;
  },
);
