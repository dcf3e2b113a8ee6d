/**
 * dpe-conformance: runs the conformance suite against a DPE Server — the built-in reference
 * server, a server by URL, or a server started from a local container image — and writes
 * the reports of the run to reports/<run-id>/; lists the scenarios an ICS selects; checks a
 * target before a run.
 * Exit codes: 0 conformant, 1 not conformant, 2 environment or usage error.
 */
import { Command, CommanderError, Option } from 'commander';
import { CLIENT_ID_POLICIES } from '../config/ics';
import { collect, parseImage, parseRunId, parseUrl, parseWorkers } from './options';
import type { RunOptions } from './run';
import type { ListOptions } from './list';
import type { PreflightCommandOptions } from './preflight-command';
import { EXIT } from './exit-codes';
import { versionLine } from './package-info';
import { describeUsageError, UsageError } from './usage-error';

const RUN_EXAMPLES = `
Examples:
  # the built-in reference server, per-device Client ID policy
  dpe-conformance run --policy per-device

  # your server by URL, with its ICS and IXIT
  dpe-conformance run --target http://127.0.0.1:7700 --ics docs/examples/ics.json --ixit docs/examples/ixit.json

  # your server from a local Docker image (host networking; it prints "listening on")
  dpe-conformance run --target-image dpe-reference:local --ics docs/examples/ics.json --ixit docs/examples/ixit.json

  # only the device-change scenarios, two workers, a chosen run id
  dpe-conformance run --tags @clause-8.2.2 --parallel 2 --run-id nightly-42

Reports: reports/<run-id>/ holds summary.md and summary.json (the certificate of the run),
cucumber-report.html (sequence chart per scenario), cucumber-report.xml (JUnit),
cucumber-messages.ndjson, cucumber-report.json and traces/ (raw trace per scenario).
Environment: DPE_TARGET, DPE_ICS and DPE_IXIT stand for --target, --ics and --ixit.
Exit codes: 0 conformant, 1 not conformant, 2 environment or usage error (nothing judged).`;

/** The run options as commander parses them; main adds the raw arguments. */
export type CommandOptions = Omit<RunOptions, 'argv'>;

export interface Commands {
  /** `argv`: arguments to add to the Reproduce command (a target taken from DPE_TARGET). */
  run: (o: CommandOptions, argv?: string[]) => Promise<number>;
  list: (o: ListOptions) => Promise<number>;
  preflight: (o: PreflightCommandOptions) => Promise<number>;
}

const targetOption = () =>
  new Option('--target <URL>', 'base URL of the DPE Server under test, e.g. http://127.0.0.1:7700 or http://host/dpe/ (default: the built-in reference server)')
    .env('DPE_TARGET')
    .argParser(parseUrl);
const icsOption = () =>
  new Option('--ics <file>', "ICS JSON file: the options your implementation declares, e.g. docs/examples/ics.json (default: the reference server's)").env('DPE_ICS');
const ixitOption = () =>
  new Option('--ixit <file>', 'IXIT JSON file: mock addresses, the SPs the harness plays, timing, e.g. docs/examples/ixit.json (default: loopback, ephemeral port)').env(
    'DPE_IXIT',
  );
const policyOption = () =>
  new Option('--policy <policy>', 'Client ID policy (6.1) of the default ICS, when no --ics is given, e.g. per-device').choices([...CLIENT_ID_POLICIES]).conflicts('ics');

export function buildProgram(run: Commands['run'], done: (code: number) => void, more: Partial<Omit<Commands, 'run'>> = {}): Command {
  const list = more.list ?? (async (o: ListOptions) => (await import('./list-command')).listCommand(o));
  const preflight = more.preflight ?? (async (o: PreflightCommandOptions) => (await import('./preflight-command')).preflightCommand(o));
  const program = new Command('dpe-conformance')
    .description('Conformance test suite for the OMA DPE device-change and Client ID change rules (HTTP/JSON binding).')
    .version(versionLine(), '-V, --version', 'print the version and commit of the suite')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  program
    .command('run')
    .description('Run the suite against a DPE Server and write the reports of the run.')
    .addOption(targetOption())
    .addOption(
      new Option(
        '--target-image <name[:tag]>',
        'start the server under test from this local Docker image (host networking, never pulled), e.g. dpe-reference:local; ' +
          'its entry point gets --port <free port> --host 127.0.0.1 and must print "listening on"',
      )
        .argParser(parseImage)
        .conflicts('target'),
    )
    .addOption(
      new Option(
        '--hooks-token <token>',
        'bearer token the target\'s test hooks (POST /provisioning/*) require, e.g. the reference server\'s admin token; ' +
          'the CLI adds it to those requests only, through a loopback gateway',
      ).env('DPE_HOOKS_TOKEN'),
    )
    .option('--image-arg <arg>', 'further argument for the image entry point (repeatable), e.g. --image-arg=--policy=per-device', collect, [])
    .addOption(icsOption())
    .addOption(ixitOption())
    .addOption(policyOption())
    .option('--tags <expr>', 'cucumber tag expression selecting scenarios, e.g. "@clause-8.2.2 and not @req-dc.order-releases-first"; a filtered run is partial')
    .option('--parallel <n>', 'number of worker processes, e.g. 4 (0 = run in this process)', parseWorkers, 0)
    .option('--run-id <id>', 'name of the run and of its folder under the reports folder, e.g. nightly-42 (default: the UTC start time)', parseRunId)
    .option('--force', 'replace the run folder of a --run-id that was used before (its files are deleted), e.g. --run-id nightly-42 --force')
    .option('--reports-dir <dir>', 'folder that holds the run folders, e.g. /tmp/dpe-reports', 'reports')
    .option('--dry-run', 'check the options, ICS and IXIT and print the scenarios the run would execute; contact and write nothing, e.g. --dry-run --tags @clause-6.1')
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (o: CommandOptions, cmd: Command) => {
      // a target, ICS or IXIT named by DPE_TARGET, DPE_ICS or DPE_IXIT belongs in the Reproduce command like the option
      const fromEnv = (['target', 'ics', 'ixit'] as const).flatMap((k) => (cmd.getOptionValueSource(k) === 'env' && o[k] ? [`--${k}`, o[k]!] : []));
      done(await run(o, fromEnv));
    });
  program
    .command('list')
    .description('List every scenario with its requirement ids, their force, its clause, and whether the ICS selects it.')
    .addOption(icsOption())
    .addOption(policyOption())
    .option('--tags <expr>', 'only the scenarios this tag expression selects, e.g. @clause-8.2.2')
    .option('--json', 'print JSON instead of text, e.g. list --json --ics my-ics.json')
    .action(async (o: ListOptions) => done(await list(o)));
  program
    .command('preflight')
    .description('Check the ICS, IXIT and the target as a run does before its first scenario, and nothing else.')
    .addOption(targetOption())
    .addOption(icsOption())
    .addOption(ixitOption())
    .addOption(policyOption())
    .action(async (o: PreflightCommandOptions) => done(await preflight(o)));
  program.addHelpText('after', `\nRun "dpe-conformance <command> --help" for the options and examples of run, list and preflight.`);
  return program;
}

/** Runs the CLI; `program` replaces the real one in tests (its `done` is then not ours). */
export async function main(argv: string[], program?: Command): Promise<number> {
  let code: number = EXIT.environment;
  program ??= buildProgram(
    async (o, fromEnv: string[] = []) => (await import('./run')).runConformance({ ...o, argv: [...argv.slice(2), ...fromEnv] }),
    (c) => (code = c),
  );
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; every other option problem is a usage error
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.pass : EXIT.environment;
    }
    if (e instanceof UsageError) {
      process.stderr.write(describeUsageError(e));
      return EXIT.environment;
    }
    process.stderr.write(`dpe-conformance: ${(e as Error).stack ?? e}\n`);
    return EXIT.environment;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
    // a handle left open by the target or a formatter must not hold the verdict back
    setTimeout(() => process.exit(code), 2000).unref();
  });
}
