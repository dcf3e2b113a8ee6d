/**
 * dpe-conformance load: drives many mock devices and the IXIT's SPs against a target by URL
 * (src/load/) and checks conformance over the whole history, not only throughput. Every usage and
 * configuration mistake is found before anything is contacted (exit 2 with the fix); the target
 * must answer the preflight (else exit 2); then exit 1 on a violation, 0 otherwise — or 2 when every
 * violation is about timing and the harness itself lagged (src/load/headroom.ts). Loopback
 * only: the load is thousands of requests a second.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import type { ClientIdPolicy } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { EnvironmentError } from '../harness/context';
import { checkIcs, checkIxit } from './config-checks';
import { EXIT } from './exit-codes';
import { checkReportsDir } from './input-paths';
import { checkMockBind } from './mock-bind';
import { defaultRunId } from './options';
import { packageRoot } from './package-info';
import { preflightTarget } from './preflight';
import { checkRunFolder } from './run-folder';
import { loadDeclarations } from './run-plan';
import { loadSuiteScenarios } from './suite-scenarios';
import { describeUsageError, UsageError } from './usage-error';
import { reproduceLine } from '../report/reproduce';

export interface LoadCommandOptions {
  target?: string;
  ics?: string;
  ixit?: string;
  policy?: ClientIdPolicy;
  hooksToken?: string;
  devices: number;
  duration: number;
  concurrency: number;
  seed?: number;
  runId?: string;
  force?: boolean;
  reportsDir: string;
  saveHistory?: boolean;
}

const say = (line: string) => process.stderr.write(`dpe-conformance: ${line}\n`);

/** 127.0.0.0/8, ::1 and localhost: the only addresses a load may reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

function checkLoopback(o: LoadCommandOptions, ixit: Ixit, ixitSource: string): void {
  const host = new URL(o.target!).hostname;
  if (!isLoopback(host)) {
    throw new UsageError(
      `--target ${o.target}: ${host} is not a loopback address, and load sends thousands of requests a second`,
      'run the load on the machine of the server under test and give a loopback URL, e.g. --target http://127.0.0.1:7700',
    );
  }
  for (const [field, value] of [
    ['mockHost', ixit.mockHost],
    ['advertisedHost', ixit.advertisedHost],
  ] as const) {
    if (value !== undefined && !isLoopback(value)) {
      throw new UsageError(
        `${ixitSource}: ${field} ${value} is not a loopback address: the load's mock devices and SPs listen on loopback only`,
        `set ${field} to 127.0.0.1 (or leave advertisedHost out)`,
      );
    }
  }
}

/** The arguments as given, with the hooks token left out (the report is no place for a secret). */
function redacted(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--hooks-token') {
      out.push(a, '"$DPE_HOOKS_TOKEN"');
      i++;
    } else out.push(a.startsWith('--hooks-token=') ? '--hooks-token="$DPE_HOOKS_TOKEN"' : a);
  }
  return out;
}

export async function loadCommand(o: LoadCommandOptions, argv: string[] = []): Promise<number> {
  let plan: Awaited<ReturnType<typeof planLoad>>;
  try {
    plan = await planLoad(o);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(describeUsageError(e));
    return EXIT.environment;
  }
  const { ics, ixit, runId, runDir, seed } = plan;
  const target = o.target!;
  const p = await preflightTarget(target, ixit);
  if (p.kind === 'unreachable') {
    say(`environment error: ${p.detail} (preflight; no load was started)`);
    return EXIT.environment;
  }
  say(p.kind === 'speaks-binding' ? `preflight: ${p.detail}` : `preflight warning: ${p.detail}`);
  if (o.force) rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  say(`load ${runId}: ${o.devices} device(s), ${o.duration} s against ${target} (seed ${seed}); report in ${runDir}`);

  const { runLoad } = await import('../load/run-load');
  const { progressFor } = await import('../load/progress');
  let result: Awaited<ReturnType<typeof runLoad>>;
  try {
    result = await runLoad({
      targetUrl: target,
      ics,
      ixit,
      hooksToken: o.hooksToken,
      devices: o.devices,
      durationS: o.duration,
      seed,
      concurrency: o.concurrency,
      progress: progressFor(process.stderr, o.duration),
    });
  } catch (e) {
    if (!(e instanceof EnvironmentError)) throw e;
    say(`environment error: ${e.message}`);
    writeFileSync(join(runDir, 'environment-error.txt'), `environment error (exit code 2): ${e.message}\n`);
    return EXIT.environment;
  }
  const { buildReport, formatReport, writeHistory, writeReport } = await import('../load/report');
  const report = buildReport(result, {
    runId,
    command: reproduceLine(['npx', 'dpe-conformance'], redacted(argv)),
    target,
    ics,
    ixit,
    devices: o.devices,
    durationS: o.duration,
    seed,
    concurrency: o.concurrency,
  });
  const file = writeReport(runDir, report);
  if (o.saveHistory) say(`history in ${writeHistory(runDir, result.history)}`);
  process.stdout.write(formatReport(report, file));
  // the report's codes are the CLI's: inconclusive is 2, the harness lagged and judged nothing of the target's timing
  const code: (typeof EXIT)[keyof typeof EXIT] = report.exitCode;
  return code;
}

/** Every check that needs no target: options, ICS, IXIT, reports folder, mock address. */
async function planLoad(o: LoadCommandOptions) {
  if (!o.target) {
    throw new UsageError(
      'load needs a target',
      'give --target <URL> (or set DPE_TARGET), e.g. --target http://127.0.0.1:7700; the reference server: npm run server -- --port 7700 --test-hooks',
    );
  }
  if (process.env.DPE_VARIANT) {
    throw new UsageError(
      `DPE_VARIANT=${process.env.DPE_VARIANT} is set, but load tests the target by URL: a variant replaces the built-in reference server of run only`,
      'unset DPE_VARIANT; to load a variant, start it as a process (scripts/bench/variant-server.ts) and give its URL',
    );
  }
  checkReportsDir(o.reportsDir);
  const { ics, ixit } = loadDeclarations(o, true);
  const icsSource = o.ics ?? `the built-in ICS (policy ${ics.clientIdPolicy})`;
  const ixitSource = o.ixit ?? 'the built-in IXIT';
  checkIcs(ics, icsSource, loadSuiteScenarios(packageRoot()));
  checkIxit(ixit, ixitSource, { external: true, parallel: 0, scenarios: [] });
  checkLoopback(o, ixit, ixitSource);
  const runId = o.runId ?? `load-${defaultRunId()}`;
  const runDir = resolve(o.reportsDir, runId);
  checkRunFolder(runDir, runId, o.force ?? false);
  await checkMockBind(ixit, ixitSource);
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
  return { ics, ixit, runId, runDir, seed };
}
