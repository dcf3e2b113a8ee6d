/**
 * A load run: the harness's mock network and SPs (src/harness/context.ts, as a suite run has
 * them) against a target by URL; N mock devices in cohorts (./workload.ts) playing concurrently
 * for the given duration; then the drain — every cohort waits, event-driven and bounded, for what
 * it is still owed, and the network for a settle window in which nothing more arrives — and the
 * verdict over the whole recorded history (./invariants.ts).
 */
import { randomBytes } from 'node:crypto';
import { Agent } from 'undici';
import type { Ics } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { retryHorizonOf, settleWindowOf } from '../config/timing';
import { EnvironmentError, HarnessContext } from '../harness/context';
import { Target } from '../harness/target';
import { Trace } from '../harness/trace';
import { CohortRunner } from './cohort';
import type { LoadHistory } from './history';
import { HistoryRecorder } from './history';
import type { Verdict } from './invariants';
import { checkHistory } from './invariants';
import { Limiter } from './limiter';
import type { Progress, ProgressState } from './progress';
import type { HeadroomSummary } from './headroom';
import { Headroom } from './headroom';
import { LoadStats } from './stats';
import { Rng } from './rng';
import { layoutCohorts } from './workload';

export interface LoadOptions {
  targetUrl: string;
  ics: Ics;
  ixit: Ixit;
  /** Bearer token of the target's test hooks: onboarding the IXIT's SPs through provisioning needs it. */
  hooksToken?: string;
  devices: number;
  durationS: number;
  seed: number;
  /** Requests in flight at most. */
  concurrency: number;
  progress?: Progress;
}

export interface LoadResult {
  history: LoadHistory;
  verdict: Verdict;
  stats: LoadStats;
  cohorts: number;
  /** Cohorts that stopped early: the target left a request unanswered. */
  stopped: Array<{ cohort: string; why: string }>;
  startedAt: Date;
  /** ms: the load (until the last action was answered), the drain, the verdict. */
  loadMs: number;
  drainMs: number;
  checkMs: number;
  /** The bound of every wait for an owed message: the delivery deadline plus the retry horizon. */
  boundMs: number;
  /** How far the harness itself lagged while the target was under load (./headroom.ts). */
  headroom: HeadroomSummary;
  /** Set when the history filled up before the duration was over (MAX_HISTORY_ENTRIES): the load stopped then. */
  historyFullAfterMs?: number;
}

/** At most this many actions per cohort and second of the run (a bound on every cohort's loop). */
const ACTIONS_PER_COHORT_SECOND = 200;

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  // the SPs are onboarded here, with the hooks token, rather than by the context (which has none)
  const ctx = await HarnessContext.start({
    ics: o.ics,
    ixit: { ...o.ixit, onboardThroughProvisioning: false },
    targetUrl: o.targetUrl,
    preflightPassed: true,
  });
  try {
    if (o.ixit.onboardThroughProvisioning) await onboard(ctx, o.hooksToken);
    return await play(ctx, o);
  } finally {
    await ctx.stop();
  }
}

async function onboard(ctx: HarnessContext, token: string | undefined): Promise<void> {
  const trace = new Trace();
  for (const sp of ctx.sps.values()) {
    const body = { 'SP-ID': sp.spId, Token: sp.token, 'Notify-URI': ctx.network.spUri(sp.spId) };
    const a = await ctx.target.post('/provisioning/service-providers', body, trace, {
      from: 'harness',
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    if (a.status !== 201 && a.status !== 200) {
      const hint =
        a.status === 401 || a.status === 403
          ? "give the token of the target's test hooks with --hooks-token (or DPE_HOOKS_TOKEN)"
          : 'onboard the IXIT SPs in the server and set onboardThroughProvisioning false in the IXIT';
      throw new EnvironmentError(
        `onboarding SP ${sp.spId} through POST /provisioning/service-providers answered ${a.status} ${JSON.stringify(a.body)}: ${hint}`,
      );
    }
  }
}

async function play(ctx: HarnessContext, o: LoadOptions): Promise<LoadResult> {
  const recorder = new HistoryRecorder();
  const stats = new LoadStats(o.ixit.timing.deliveryDeadlineMs);
  const limiter = new Limiter(o.concurrency);
  const sps = [...ctx.sps.values()].map((sp) => ({ alias: sp.alias, spId: sp.spId, token: sp.token }));
  // under load an answer may take longer than the suite's per-request wait: it gets the bound of everything owed
  const boundMs = o.ixit.timing.deliveryDeadlineMs + retryHorizonOf(o.ixit);
  // as many connections as requests in flight, and no more: fetch's own pool opened twice as many
  // in a burst, past the reference server's connection cap (256), which closed them unanswered
  const pool = new Agent({ connections: o.concurrency });
  const target = new Target(ctx.target.baseUrl, ctx.validator, boundMs, true, pool);
  const env = {
    ics: o.ics,
    ixit: o.ixit,
    sps,
    target,
    network: ctx.network,
    recorder,
    identities: ctx.identities,
    limiter,
    runTag: `load${randomBytes(3).toString('hex')}`,
    stats,
  };
  const layouts = layoutCohorts(o.devices);
  const runners = layouts.map((l, i) => new CohortRunner(l, env, new Rng((o.seed + Math.imul(i + 1, 0x9e3779b9)) >>> 0)));
  for (const r of runners) ctx.network.attach(r.route);
  // SP messages are attributed by the identities they name; none is charged to "the running" cohort
  ctx.network.detach();

  const startedAt = new Date();
  const t0 = Date.now();
  let phase: ProgressState['phase'] = 'running';
  let busy = runners.length;
  const headroom = new Headroom(o.ixit.timing.deliveryDeadlineMs);
  const tick = () =>
    o.progress?.update({
      phase,
      elapsedS: (Date.now() - t0) / 1000,
      requests: stats.requests,
      cohortsBusy: busy,
      refused: stats.refused,
      gaveUp: stats.gaveUpCount,
    });
  const ticker = setInterval(() => {
    headroom.tick();
    tick();
  }, 1000);
  ticker.unref();
  try {
    tick();
    const until = t0 + o.durationS * 1000;
    const maxActions = Math.ceil(o.durationS * ACTIONS_PER_COHORT_SECOND);
    await Promise.all(runners.map((r) => r.run(until, maxActions).finally(() => busy--)));
    const loadMs = Date.now() - t0;
    const historyFullAfterMs = recorder.full() ? loadMs : undefined;
    phase = 'draining';
    busy = runners.length;
    await Promise.all(runners.map((r) => r.drain().finally(() => busy--)));
    await ctx.network.quiet(settleWindowOf(o.ixit));
    for (const r of runners) r.route.ended = true;
    const drainMs = Date.now() - t0 - loadMs;
    // the verdict's own CPU is not the harness answering late
    const lag = headroom.stop();
    phase = 'judging';
    tick();
    const history: LoadHistory = {
      roster: {
        devices: runners.flatMap((r) => r.rosterDevices),
        users: runners.flatMap((r) => [...r.users.values()]),
        sps: [...ctx.sps.values()].map((sp) => ({ alias: sp.alias, name: sp.name })),
      },
      entries: recorder.entries,
      unattributed: [...ctx.network.unattributed],
    };
    const c0 = Date.now();
    const verdict = checkHistory(history, o.ics);
    return {
      history,
      verdict,
      stats,
      cohorts: runners.length,
      stopped: runners.filter((r) => r.stopped).map((r) => ({ cohort: r.layout.cohort, why: r.stopped! })),
      startedAt,
      loadMs,
      drainMs,
      checkMs: Date.now() - c0,
      boundMs,
      headroom: lag,
      ...(historyFullAfterMs !== undefined ? { historyFullAfterMs } : {}),
    };
  } finally {
    headroom.stop();
    await pool.close();
    clearInterval(ticker);
    o.progress?.stop();
  }
}
