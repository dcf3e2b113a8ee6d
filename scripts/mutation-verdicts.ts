/**
 * The verdicts of `npm run mutation` (scripts/mutation.ts): one row per fault or legal behaviour,
 * from its run (scripts/mutation-runner.ts) and the baseline run under the same configuration.
 *
 *   caught   a scenario fails (or, for a derived rule, warns) on a requirement the fault breaks
 *            (independent faults: on any requirement), where the baseline under the same ICS did not
 *   passed   every scenario passes (warnings allowed); anything failing is a false failure
 */
import { NOT_MUTABLE } from '../src/server/variants';
import type { Job } from './mutation-job';
import { OUT_OF_SCOPE } from './mutation-plan';
import type { RunResult, ScenarioResult } from './mutation-runner';
import { describeFailed, isFail, isFault } from './mutation-runner';

export interface Row {
  kind: string;
  name: string;
  policy: string;
  verdict: string;
  detail: string;
  ok: boolean;
}

/**
 * A fault is caught when, compared with its baseline, a scenario fails on (or a check warns about)
 * a requirement it breaks; an independent fault, whose breaks are its author's guess, by any.
 */
export function judgeFault(r: RunResult, ref: RunResult | undefined): Row {
  const j = r.job;
  const base = { kind: j.kind, name: j.name, policy: j.policy };
  if (r.error) return { ...base, verdict: 'ERROR', detail: r.error, ok: false };
  const whole = j.wholeSuiteAgain ? ' (on the whole suite: the scenarios of what it breaks did not catch it)' : '';
  const refFailed = new Set((ref?.scenarios ?? []).filter(isFail).map((s) => s.key));
  const refJudged = new Map((ref?.scenarios ?? []).map((s) => [s.key, new Set(s.judged)]));
  const failed = r.scenarios.filter((s) => (s.status === 'FAILED' || s.verdict === 'fail') && !refFailed.has(s.key));
  // a check that names the broken requirement catches it, as a failure or (derived rules) a warning
  const judging = (s: ScenarioResult, id: string) => s.judged.includes(id) && !refJudged.get(s.key)?.has(id) && !refFailed.has(s.key);
  const catches = (id: string) =>
    r.scenarios.filter((s) => (failed.includes(s) && (s.reqIds.includes(id) || s.judged.includes(id))) || judging(s, id));
  const newly = (s: ScenarioResult) => s.judged.filter((id) => !refJudged.get(s.key)?.has(id));
  const by = [
    ...new Set([
      ...failed.flatMap((s) => (s.judged.length ? s.judged : s.reqIds)),
      ...r.scenarios.flatMap(newly),
      ...(r.unowned.length ? ['(messages no scenario owns)'] : []),
    ]),
  ].sort();
  if (j.kind === 'ind-fault') {
    if (!by.length)
      return {
        ...base,
        verdict: 'NOT CAUGHT',
        detail: `no scenario failed or warned (its author meant it to break ${j.breaks.join(', ')})`,
        ok: false,
      };
    const asMeant = j.breaks.filter((id) => by.includes(id));
    return {
      ...base,
      verdict: 'caught',
      detail: `by ${by.join(', ')}${asMeant.length ? '' : ` (its author meant ${j.breaks.join(', ')})`}; ${failed.length} scenario(s) failed${whole}`,
      ok: true,
    };
  }
  const missing = j.breaks.filter((id) => !catches(id).length);
  if (!missing.length) {
    const n = new Set(j.breaks.flatMap(catches)).size;
    return {
      ...base,
      verdict: 'caught',
      detail: `by @req-${j.breaks.join(', @req-')} (${n} scenario(s)); all failing: ${by.join(', ')}${whole}`,
      ok: true,
    };
  }
  const why = missing.map((id) => {
    const tagged = r.scenarios.filter((s) => s.reqIds.includes(id));
    const ran = tagged.filter((s) => s.status !== 'SKIPPED');
    if (!tagged.length) return `${id}: missing scenario (none tagged @req-${id})`;
    if (!ran.length) return `${id}: missing scenario (the ${tagged.length} tagged were skipped as not applicable)`;
    return `${id}: weak check (${ran.length} tagged scenario(s) passed)`;
  });
  return { ...base, verdict: 'NOT CAUGHT', detail: `${why.join('; ')}${by.length ? `; other failures: ${by.join(', ')}` : ''}`, ok: false };
}

export function judgeLegal(r: RunResult, kind: string, name: string): Row {
  const base = { kind, name, policy: r.job.policy };
  if (r.error) return { ...base, verdict: 'ERROR', detail: r.error, ok: false };
  const bad = r.scenarios.filter(isFail);
  if (!r.scenarios.length) return { ...base, verdict: 'ERROR', detail: 'no scenario ran', ok: false };
  if (r.unowned.length)
    return {
      ...base,
      verdict: 'FALSE FAILURE',
      detail: `${r.unowned.length} message(s) no scenario owns: ${r.unowned[0]!.slice(0, 200)}`,
      ok: false,
    };
  if (!bad.length) {
    const skipped = r.scenarios.filter((s) => s.status === 'SKIPPED').length;
    const again = r.firstTry ? `; on its second run — the first failed: ${r.firstTry}` : '';
    return {
      ...base,
      verdict: r.firstTry ? 'passed 2nd' : 'passed',
      detail: `${r.scenarios.length - skipped} passed, ${skipped} not applicable${again}`,
      ok: true,
    };
  }
  return {
    ...base,
    verdict: 'FALSE FAILURE',
    detail: describeFailed(bad),
    ok: false,
  };
}

/** One row per behaviour of a profile, each judged by the profile's one run. */
export function judgeProfile(r: RunResult, members: Job[]): Row[] {
  return members.map((m) => {
    const j = judgeLegal(r, m.kind, m.name);
    const others = `in ${r.job.name} with ${members.length - 1} other behaviour(s)`;
    const alone = `npm run mutation -- --only ${members.map((x) => x.variant?.name ?? (x.kind === 'erratum' ? `reference-${x.key!.split(':')[0]}` : x.key)).join(',')}`;
    return { ...j, detail: j.ok ? `${j.detail} (${others})` : `${j.detail} (${others}; to run each alone: ${alone})` };
  });
}

/**
 * Every row of a run: the baselines (`all` begins with them), then each fault and legal behaviour,
 * the plan's problems, and (for a whole run) what is not mutable or out of scope.
 */
export function rowsOf(
  all: RunResult[],
  baselineCount: number,
  problems: string[],
  o: { only?: string[]; withIndependent: boolean },
): Row[] {
  const byConfig = new Map(all.slice(0, baselineCount).map((r) => [r.job.config, r]));
  const rows: Row[] = [];
  for (const r of all.slice(0, baselineCount)) {
    if (r.job.kind === 'baseline') {
      // the reference does not declare this ICS: its failures are no false failures, only excluded from catching
      const j = judgeLegal(r, 'baseline', 'reference +ICS');
      rows.push({ ...j, ok: j.verdict !== 'ERROR', verdict: j.verdict === 'FALSE FAILURE' ? 'fails some' : j.verdict });
    } else rows.push(judgeLegal(r, r.job.kind, r.job.name));
  }
  for (const r of all.slice(baselineCount)) {
    if (isFault(r.job)) rows.push(judgeFault(r, byConfig.get(r.job.config)));
    else if (r.job.members) rows.push(...judgeProfile(r, r.job.members));
    else rows.push(judgeLegal(r, r.job.kind, r.job.name));
  }
  for (const p of problems) rows.push({ kind: 'plan', name: '-', policy: '-', verdict: 'PROBLEM', detail: p, ok: false });
  if (!o.only)
    for (const [id, why] of Object.entries(NOT_MUTABLE))
      rows.push({ kind: 'not mutable', name: id, policy: '-', verdict: '-', detail: why, ok: true });
  if (!o.only && o.withIndependent)
    for (const [name, why] of Object.entries(OUT_OF_SCOPE))
      rows.push({ kind: 'ind-out-of-scope', name, policy: '-', verdict: '-', detail: why, ok: true });
  return rows;
}
