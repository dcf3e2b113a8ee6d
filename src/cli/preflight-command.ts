/**
 * dpe-conformance preflight: the checks a run makes before its first scenario — ICS and IXIT,
 * the mock network's address, and the target's answer — on their own. cucumber.js calls it
 * when a raw cucumber run names an external target (DPE_TARGET), so that path is checked too.
 */
import type { ClientIdPolicy } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { checkIcs, checkIxit } from './config-checks';
import { EXIT } from './exit-codes';
import { checkMockBind } from './mock-bind';
import { packageRoot } from './package-info';
import { preflightTarget } from './preflight';
import { loadDeclarations } from './run-plan';
import { loadSuiteScenarios, selectForRun } from './suite-scenarios';
import { describeUsageError, UsageError } from './usage-error';

export interface PreflightCommandOptions {
  target?: string;
  ics?: string;
  ixit?: string;
  policy?: ClientIdPolicy;
}

const say = (line: string) => process.stderr.write(`dpe-conformance: ${line}\n`);

export async function preflightCommand(o: PreflightCommandOptions): Promise<number> {
  let ixit: Ixit;
  try {
    if (!o.target) throw new UsageError('preflight needs a target', 'give --target <URL> (or set DPE_TARGET)');
    const d = loadDeclarations(o, true);
    ixit = d.ixit;
    const source = o.ixit ?? 'the built-in IXIT';
    const scenarios = loadSuiteScenarios(packageRoot());
    checkIcs(d.ics, o.ics ?? 'the built-in ICS', scenarios);
    checkIxit(ixit, source, { external: true, parallel: 0, scenarios: selectForRun(scenarios, d.ics, undefined).applicable });
    await checkMockBind(ixit, source);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(describeUsageError(e));
    return EXIT.environment;
  }
  const p = await preflightTarget(o.target, ixit);
  if (p.kind === 'unreachable') {
    say(`environment error: ${p.detail} (preflight; no scenario was run)`);
    return EXIT.environment;
  }
  say(p.kind === 'speaks-binding' ? `preflight: ${p.detail}` : `preflight warning: ${p.detail}`);
  return EXIT.pass;
}
