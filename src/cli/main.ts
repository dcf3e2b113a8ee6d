/**
 * dpe-conformance: runs the conformance suite against a DPE Server — the built-in reference
 * server, a server by URL, or a server started from a local container image — and writes
 * the reports of the run to reports/<run-id>/.
 * Exit codes: 0 conformant, 1 not conformant, 2 environment or usage error.
 */
import { Command, CommanderError, Option } from 'commander';
import { CLIENT_ID_POLICIES } from '../config/ics';
import { collect, parseImage, parseRunId, parseUrl, parseWorkers } from './options';
import { runConformance, type RunOptions } from './run';
import { EXIT } from './exit-codes';

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
Exit codes: 0 conformant, 1 not conformant, 2 environment or usage error.`;

/** The run options as commander parses them; main adds the raw arguments. */
export type CommandOptions = Omit<RunOptions, 'argv'>;

export function buildProgram(run: (o: CommandOptions) => Promise<number>, done: (code: number) => void): Command {
  const program = new Command('dpe-conformance')
    .description('Conformance test suite for the OMA DPE device-change and Client ID change rules (HTTP/JSON binding).')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  program
    .command('run')
    .description('Run the suite against a DPE Server and write the reports of the run.')
    .option('--target <URL>', 'base URL of the DPE Server under test, e.g. http://127.0.0.1:7700 (default: the built-in reference server)', parseUrl)
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
    .option('--ics <file>', 'ICS JSON file: the options your implementation declares, e.g. docs/examples/ics.json (default: the reference server\'s)')
    .option('--ixit <file>', 'IXIT JSON file: mock addresses, the SPs the harness plays, timing, e.g. docs/examples/ixit.json (default: loopback, ephemeral ports)')
    .addOption(
      new Option('--policy <policy>', 'Client ID policy (6.1) of the default ICS, when no --ics is given, e.g. per-device')
        .choices([...CLIENT_ID_POLICIES])
        .conflicts('ics'),
    )
    .option('--tags <expr>', 'cucumber tag expression selecting scenarios, e.g. "@clause-8.2.2 and not @req-dc.order-releases-first"; a filtered run is partial')
    .option('--parallel <n>', 'number of worker processes, e.g. 4 (0 = run in this process)', parseWorkers, 0)
    .option('--run-id <id>', 'name of the run and of its folder under the reports folder, e.g. nightly-42 (default: the UTC start time)', parseRunId)
    .option('--reports-dir <dir>', 'folder that holds the run folders, e.g. /tmp/dpe-reports', 'reports')
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (o: CommandOptions) => done(await run(o)));
  program.addHelpText('after', `\nRun "dpe-conformance run --help" for the options and examples.`);
  return program;
}

/** Runs the CLI; `program` replaces the real one in tests (its `done` is then not ours). */
export async function main(argv: string[], program?: Command): Promise<number> {
  let code: number = EXIT.environment;
  program ??= buildProgram((o) => runConformance({ ...o, argv: argv.slice(2) }), (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; every other option problem is a usage error
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.pass : EXIT.environment;
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
