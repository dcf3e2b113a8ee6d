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
import type { MergeOptions } from './merge-command';
import type { LoadCommandOptions } from './load-command';
import { MAX_CONCURRENCY, MAX_DEVICES, parseConcurrency, parseDevices, parseDuration, parseSeed } from './load-options';
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

  # the second of three shards (one CI job each), then one certificate from all three
  dpe-conformance run --target http://127.0.0.1:7700 --shard 2/3 --run-id shard-2
  dpe-conformance merge reports/shard-1/summary.json reports/shard-2/summary.json reports/shard-3/summary.json

Parallel runs: a server by URL or image gets 4 workers unless --parallel says otherwise (its
waits are I/O); each worker has its own mock devices and, with onboardThroughProvisioning, its
own SPs (SP-ID and token with the suffix -w<worker>); SPs configured in your server (a fixed
mockPort) get one listener on that port that routes each report to the worker it is about.

Reports: reports/<run-id>/ holds summary.md and summary.json (the certificate of the run),
cucumber-report.html (sequence chart per scenario), cucumber-report.xml (JUnit),
cucumber-messages.ndjson, cucumber-report.json and traces/ (raw trace per scenario).
Environment: DPE_TARGET, DPE_ICS and DPE_IXIT stand for --target, --ics and --ixit.
Exit codes: 0 conformant, 1 not conformant, 2 environment or usage error (nothing judged).`;

const LOAD_EXAMPLES = `
Examples:
  # the reference server as a process, then 1000 devices for 60 s
  npm run server -- --port 7700 --test-hooks --admin-token "$TOKEN"
  dpe-conformance load --target http://127.0.0.1:7700 --hooks-token "$TOKEN" --devices 1000 --duration 60

  # your server by URL, with its ICS and IXIT, the same workload again
  dpe-conformance load --target http://127.0.0.1:7700 --ics docs/examples/ics.json --ixit docs/examples/ixit.json --seed 42

The devices are grouped in cohorts (households: SIM users, a multi-device user, a spare device)
that act one action at a time and concurrently with each other; before its next action a cohort
waits for what the target owes it, at most the IXIT delivery deadline plus the retry horizon.
Checked over the whole history (docs/load.md): device state after every device change, reports
to every concerned SP, no Client ID on two devices at once, per-destination order, nothing lost,
every message valid and attributable. Loopback targets only.
Reports: reports/<run-id>/load-report.json (figures, invariants, every violation with its trace).
Exit codes: 0 no violation, 1 a violation, 2 environment or usage error (nothing judged), or a run
whose only violations are about what arrived in time while the harness itself lagged (inconclusive).`;

/** The run options as commander parses them; main adds the raw arguments. */
export type CommandOptions = Omit<RunOptions, 'argv'>;

export interface Commands {
  /** `argv`: arguments to add to the Reproduce command (a target taken from DPE_TARGET). */
  run: (o: CommandOptions, argv?: string[]) => Promise<number>;
  list: (o: ListOptions) => Promise<number>;
  preflight: (o: PreflightCommandOptions) => Promise<number>;
  merge: (files: string[], o: MergeOptions) => Promise<number>;
  /** `argv`: arguments to add to the report's command line (a target taken from DPE_TARGET). */
  load: (o: LoadCommandOptions, argv?: string[]) => Promise<number>;
}

const targetOption = (
  text = 'base URL of the DPE Server under test, e.g. http://127.0.0.1:7700 or http://host/dpe/ (default: the built-in reference server)',
) => new Option('--target <URL>', text).env('DPE_TARGET').argParser(parseUrl);
const icsOption = () =>
  new Option(
    '--ics <file>',
    "ICS JSON file: the options your implementation declares, e.g. docs/examples/ics.json (default: the reference server's)",
  ).env('DPE_ICS');
const ixitOption = () =>
  new Option(
    '--ixit <file>',
    'IXIT JSON file: mock addresses, the SPs the harness plays, timing, e.g. docs/examples/ixit.json (default: loopback, ephemeral port)',
  ).env('DPE_IXIT');
const hooksTokenOption = (
  text = "bearer token the target's test hooks (POST /provisioning/*) require, e.g. the reference server's admin token; " +
    'the CLI adds it to those requests only, through a loopback gateway',
) => new Option('--hooks-token <token>', text).env('DPE_HOOKS_TOKEN');
const policyOption = () =>
  new Option('--policy <policy>', 'Client ID policy (6.1) of the default ICS, when no --ics is given, e.g. per-device')
    .choices([...CLIENT_ID_POLICIES])
    .conflicts('ics');

export function buildProgram(run: Commands['run'], done: (code: number) => void, more: Partial<Omit<Commands, 'run'>> = {}): Command {
  const list = more.list ?? (async (o: ListOptions) => (await import('./list-command')).listCommand(o));
  const preflight = more.preflight ?? (async (o: PreflightCommandOptions) => (await import('./preflight-command')).preflightCommand(o));
  const merge = more.merge ?? (async (files: string[], o: MergeOptions) => (await import('./merge-command')).mergeCommand(files, o));
  const load = more.load ?? (async (o: LoadCommandOptions, argv?: string[]) => (await import('./load-command')).loadCommand(o, argv));
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
    .addOption(hooksTokenOption())
    .option(
      '--image-arg <arg>',
      'further argument for the image entry point (repeatable), e.g. --image-arg=--policy=per-device',
      collect,
      [],
    )
    .addOption(icsOption())
    .addOption(ixitOption())
    .addOption(policyOption())
    .option(
      '--tags <expr>',
      'cucumber tag expression selecting scenarios, e.g. "@clause-8.2.2 and not @req-dc.order-releases-first"; a filtered run is partial',
    )
    .option(
      '--parallel <n>',
      'number of worker processes, e.g. 8 (0 = run in this process; default: 0 for the built-in reference server, 4 for a server by URL or image, whose waits are I/O)',
      parseWorkers,
    )
    .option(
      '--shard <k/n>',
      'run only shard k of n of the selected scenarios (a deterministic slice by location), e.g. --shard 2/3; join the shards with merge',
    )
    .option(
      '--run-id <id>',
      'name of the run and of its folder under the reports folder, e.g. nightly-42 (default: the UTC start time)',
      parseRunId,
    )
    .option(
      '--force',
      'replace the run folder of a --run-id that was used before (its files are deleted), e.g. --run-id nightly-42 --force',
    )
    .option('--reports-dir <dir>', 'folder that holds the run folders, e.g. /tmp/dpe-reports', 'reports')
    .option(
      '--dry-run',
      'check the options, ICS and IXIT and print the scenarios the run would execute; contact and write nothing, e.g. --dry-run --tags @clause-6.1',
    )
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (o: CommandOptions, cmd: Command) => {
      // a target, ICS or IXIT named by DPE_TARGET, DPE_ICS or DPE_IXIT belongs in the Reproduce command like the option
      const fromEnv = (['target', 'ics', 'ixit'] as const).flatMap((k) =>
        cmd.getOptionValueSource(k) === 'env' && o[k] ? [`--${k}`, o[k]!] : [],
      );
      done(await run(o, fromEnv));
    });
  program
    .command('list')
    .description(
      'List every scenario with its requirement ids, their force, its clause, and whether the ICS selects it and the IXIT lets the harness stage it.',
    )
    .addOption(icsOption())
    .addOption(ixitOption())
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
  program
    .command('merge')
    .description('Merge the summaries of the shards of one run (run --shard 1/n … n/n) into one certificate, scored as one run.')
    .argument('<summary.json...>', 'the summary.json of every shard, each in its run folder (beside cucumber-messages.ndjson and traces/)')
    .option('--run-id <id>', 'name of the merged run and of its folder, e.g. nightly-42 (default: merged-<UTC time>)', parseRunId)
    .option('--force', 'replace the folder of a --run-id that was used before')
    .option('--reports-dir <dir>', 'folder that holds the merged run folder, e.g. /tmp/dpe-reports', 'reports')
    .addHelpText(
      'after',
      `
Example:
  dpe-conformance run --target http://127.0.0.1:7700 --shard 1/3 --run-id s1   # and 2/3, 3/3 on other machines
  dpe-conformance merge reports/s1/summary.json reports/s2/summary.json reports/s3/summary.json --run-id nightly-42

The shards must share the suite digest, the ICS, the IXIT, --tags and n, and cover every selected
scenario exactly once; otherwise merge says which and exits 2. The merged folder holds what a run's
does (certificate, index.html, cucumber-report.html and .xml, messages, traces) but cucumber's
legacy JSON report. docs/ci-example.md shows a CI matrix.
Exit codes: as a run: 0 conformant, 1 not conformant, 2 usage or environment error.`,
    )
    .action(async (files: string[], o: MergeOptions) => done(await merge(files, o)));
  program
    .command('load')
    .description(
      "Drive many mock devices and the IXIT's SPs concurrently against a DPE Server, then check conformance over the whole history: throughput, latency and every violation.",
    )
    .addOption(targetOption('base URL of the DPE Server under test, on loopback, e.g. http://127.0.0.1:7700 (required)'))
    .addOption(icsOption())
    .addOption(ixitOption())
    .addOption(policyOption())
    .addOption(
      hooksTokenOption(
        "bearer token of the target's test hooks, e.g. the reference server's admin token: the IXIT's SPs are onboarded through POST /provisioning/service-providers with it",
      ),
    )
    .option('--devices <n>', `number of mock devices, 1 to ${MAX_DEVICES}, e.g. 1000`, parseDevices, 100)
    .option('--duration <s>', 'seconds the load runs before it drains, e.g. 60', parseDuration, 30)
    .option('--concurrency <n>', `requests in flight at most, 1 to ${MAX_CONCURRENCY}, e.g. 32`, parseConcurrency, 64)
    .option('--seed <n>', 'seed of the workload, to play a run again (default: random, printed in the report), e.g. 42', parseSeed)
    .option('--run-id <id>', 'name of the run and of its folder under the reports folder (default: load-<UTC start time>)', parseRunId)
    .option('--force', 'replace the run folder of a --run-id that was used before')
    .option('--reports-dir <dir>', 'folder that holds the run folders, e.g. /tmp/dpe-reports', 'reports')
    .option('--save-history', 'also write the whole history (every request, answer and message) as load-history.ndjson')
    .addHelpText('after', LOAD_EXAMPLES)
    .action(async (o: LoadCommandOptions, cmd: Command) => {
      const fromEnv = (['target', 'ics', 'ixit'] as const).flatMap((k) =>
        cmd.getOptionValueSource(k) === 'env' && o[k] ? [`--${k}`, o[k]!] : [],
      );
      done(await load(o, fromEnv));
    });
  program.addHelpText(
    'after',
    `\nRun "dpe-conformance <command> --help" for the options and examples of run, list, preflight, merge and load.`,
  );
  return program;
}

/** Runs the CLI; `program` replaces the real one in tests (its `done` is then not ours). */
export async function main(argv: string[], program?: Command): Promise<number> {
  let code: number = EXIT.environment;
  program ??= buildProgram(
    async (o, fromEnv: string[] = []) => (await import('./run')).runConformance({ ...o, argv: [...argv.slice(2), ...fromEnv] }),
    (c) => (code = c),
    { load: async (o, fromEnv: string[] = []) => (await import('./load-command')).loadCommand(o, [...argv.slice(2), ...fromEnv]) },
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
