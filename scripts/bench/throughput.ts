/**
 * Row d of the bench: registrations per second the reference server answers (a separate process,
 * through the binding, autocannon on loopback) against a bare node:http JSON handler on the same
 * machine: an unchanged re-registration, and new-device registrations whose device-change
 * messages go to a loopback sink (a separate process), including the time the outbox needs to
 * deliver them all. The bare and the reference runs alternate in short rounds, so that a change
 * of the machine's load during the bench falls on both; the CPU time each server process spends
 * per answer is compared too, which a busy machine hardly changes.
 */
import { startReferenceProcess } from '../../src/cli/reference-process';
import type { ListeningProcess } from '../../src/process/listening-process';
import { cpuMsOf, startBenchServer } from './processes';
import type { LoadOptions, LoadResult } from './load';
import { benchIdentity, getJson, load, postJson, registrationBody } from './load';
import type { Row } from './table';
import { millis, rate, ratio, row, seconds } from './table';

export interface ThroughputOptions {
  connections: number;
  /** Seconds of load per round and side. */
  durationS: number;
  /** Alternating rounds (bare, reference, bare, …); the ratio is the median of the rounds'. */
  rounds: number;
}

const BARE = 'scripts/bench/bare-server.js';

interface Health {
  delivery: { queued: number; inFlight: number; counters: { delivered: number; gaveUp: number } };
}

/** A series of runs against one server: answers, seconds and the server process's CPU time. */
interface Series {
  results: LoadResult[];
  cpuMs: number;
}

const perSecond = (s: Series) => s.results.reduce((n, r) => n + r.total, 0) / s.results.reduce((n, r) => n + r.durationS, 0);
const cpuPerAnswer = (s: Series) => (s.cpuMs * 1000) / s.results.reduce((n, r) => n + r.total, 0);

export function median(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The reference ÷ bare ratio of alternating rounds b0 r0 b1 r1 … bn: each reference round is
 * held against the mean of the bare rounds either side of it; the median of those.
 */
export function alternatingRatio(bare: readonly number[], ref: readonly number[]): number | undefined {
  const pairs = ref.map((r, i) => ratio(r, bare[i + 1] === undefined ? bare[i] : (bare[i]! + bare[i + 1]!) / 2));
  return median(pairs.filter((x): x is number => x !== undefined));
}

export async function throughputRows(o: ThroughputOptions): Promise<Row[]> {
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const sink = await startBenchServer([BARE, 'sink']);
    started.push(sink);
    const bare = await startBenchServer([BARE, 'bare']);
    started.push(bare);
    const ref = await startReferenceProcess(['--policy', 'per-user-and-device', '--log-level', 'error']);
    started.push(ref);

    // the bare handler answers the same request with a fixed body
    const { user, device } = benchIdentity(1, 1);
    const reg = registrationBody(user, device, `${sink.url}/d/${device}`, 'bench-rereg');
    const bareAnswer = JSON.stringify({
      'Message-Type': 'DPE_Registration_Response',
      'Message-ID': 'bench-rereg',
      'Client-ID': 'dpe-bare-0123456789abcdefghij',
    });
    const first = await postJson(`${ref.url}/dpe-1`, JSON.parse(reg));
    const clientId = (first.body as Record<string, unknown> | undefined)?.['Client-ID'];
    if (first.status !== 200 || typeof clientId !== 'string')
      throw new Error(`the reference server did not register the bench device: ${first.status} ${JSON.stringify(first.body)}`);
    // an unchanged re-registration keeps its Client ID (per-user-and-device): every answer is this one
    const refAnswer = JSON.stringify({ 'Message-Type': 'DPE_Registration_Response', 'Message-ID': 'bench-rereg', 'Client-ID': clientId });

    const bareLoad: LoadOptions = {
      url: `${bare.url}/dpe-1`,
      body: reg,
      expectBody: bareAnswer,
      connections: o.connections,
      durationS: o.durationS,
    };
    const refLoad: LoadOptions = {
      url: `${ref.url}/dpe-1`,
      body: reg,
      expectBody: refAnswer,
      connections: o.connections,
      durationS: o.durationS,
    };
    await load({ ...bareLoad, durationS: 1 });
    await load({ ...refLoad, durationS: 1 });
    const bareSeries: Series = { results: [], cpuMs: 0 };
    const refSeries: Series = { results: [], cpuMs: 0 };
    const measured = async (series: Series, pid: number | undefined, opts: LoadOptions) => {
      const c0 = cpuMsOf(pid);
      series.results.push(await load(opts));
      const c1 = cpuMsOf(pid);
      series.cpuMs += c0 !== undefined && c1 !== undefined ? c1 - c0 : Number.NaN;
    };
    for (let i = 0; i < o.rounds; i++) {
      await measured(bareSeries, bare.child.pid, bareLoad);
      await measured(refSeries, ref.child.pid, refLoad);
    }
    await measured(bareSeries, bare.child.pid, bareLoad);
    const unchangedRatio = alternatingRatio(
      bareSeries.results.map((r) => r.perSecond),
      refSeries.results.map((r) => r.perSecond),
    );

    const newDevice = await newDeviceRun(ref, sink, o);
    const bareRate = perSecond(bareSeries);
    const lat = (rs: LoadResult[]) => `p50 ${millis(median(rs.map((r) => r.p50Ms))!)}, p99 ${millis(Math.max(...rs.map((r) => r.p99Ms)))}`;
    const bareFigures = `bare node:http ${rate(bareRate)} (rounds ${bareSeries.results.map((r) => rate(r.perSecond)).join(', ')})`;
    const rounds = `${o.rounds} alternating rounds of ${o.durationS} s, ${o.connections} connections`;
    return [
      row({
        id: 'd.reregistration/bare',
        what: 'unchanged re-registrations answered per second: reference server ÷ bare node:http JSON handler',
        figures: `reference ${rate(perSecond(refSeries))} (rounds ${refSeries.results.map((r) => rate(r.perSecond)).join(', ')}; ${lat(refSeries.results)}); ${bareFigures}; ${rounds}`,
        ratio: unchangedRatio,
        goal: { op: '>=', bound: 0.5, source: 'issue 9' },
      }),
      row({
        id: 'd.reregistration-cpu',
        what: 'CPU time per answer: bare node:http ÷ reference server, unchanged re-registration (the share of a core the server code adds)',
        figures: `reference ${cpuPerAnswer(refSeries).toFixed(0)} µs, bare ${cpuPerAnswer(bareSeries).toFixed(0)} µs per answer`,
        ratio: ratio(cpuPerAnswer(bareSeries), cpuPerAnswer(refSeries)),
      }),
      row({
        id: 'd.new-device/bare',
        what: 'new-device registrations answered per second (device-change messages to a loopback sink): reference ÷ bare',
        figures: `reference ${rate(newDevice.answered.perSecond)} (p50 ${millis(newDevice.answered.p50Ms)}, p99 ${millis(newDevice.answered.p99Ms)}); ${bareFigures}`,
        ratio: ratio(newDevice.answered.perSecond, bareRate),
      }),
      row({
        id: 'd.new-device-delivered/bare',
        what: 'new-device registrations per second with all their messages delivered to the sink: reference ÷ bare',
        figures:
          `${newDevice.registered} registrations, ${newDevice.delivered} messages delivered in ${seconds(newDevice.totalMs)} ` +
          `(outbox drained ${seconds(newDevice.drainMs)} after the load); ${newDevice.cpuPerRegistrationUs.toFixed(0)} µs server CPU per registration with its deliveries`,
        ratio: ratio((newDevice.registered * 1000) / newDevice.totalMs, bareRate),
      }),
    ];
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
}

async function newDeviceRun(
  ref: { url: string; adminToken: string; child: { pid?: number } },
  sink: ListeningProcess,
  o: ThroughputOptions,
): Promise<{
  answered: LoadResult;
  registered: number;
  delivered: number;
  drainMs: number;
  totalMs: number;
  cpuPerRegistrationUs: number;
}> {
  const health = () => getJson(`${ref.url}/health`, { authorization: `Bearer ${ref.adminToken}` }) as Promise<Health>;
  const sinkCount = async () => ((await getJson(`${sink.url}/count`)) as { received: number }).received;
  const before = (await health()).delivery.counters;
  const sinkBefore = await sinkCount();
  let n = 0;
  const nextBody = () => {
    const { user, device } = benchIdentity(++n, 2);
    return registrationBody(user, device, `${sink.url}/d/${device}`, `bench-new-${n}`);
  };
  const c0 = cpuMsOf(ref.child.pid);
  const t0 = performance.now();
  const answered = await load({ url: `${ref.url}/dpe-1`, connections: o.connections, durationS: o.durationS * o.rounds, nextBody });
  const loadEnd = performance.now();
  // the reference server has no event to wait on from outside: its health endpoint is polled, bounded in time
  const deadline = loadEnd + 120_000;
  let h = await health();
  while ((h.delivery.queued > 0 || h.delivery.inFlight > 0) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    h = await health();
  }
  if (h.delivery.queued > 0 || h.delivery.inFlight > 0)
    throw new Error(`the reference server's outbox did not drain within 120 s of the load (${h.delivery.queued} queued)`);
  const end = performance.now();
  const c1 = cpuMsOf(ref.child.pid);
  const delivered = h.delivery.counters.delivered - before.delivered;
  const gaveUp = h.delivery.counters.gaveUp - before.gaveUp;
  const atSink = (await sinkCount()) - sinkBefore;
  if (gaveUp > 0) throw new Error(`the reference server gave up ${gaveUp} device-change messages to the loopback sink`);
  // a fresh tel: user on a fresh device gets the two "*" releases (no SP defined settings); requests
  // in flight when the load stopped were registered too, though autocannon counted no answer
  const most = (answered.total + o.connections) * 2;
  if (delivered < answered.total * 2 || delivered > most || atSink < delivered) {
    throw new Error(
      `expected ${answered.total * 2}–${most} device-change messages, the outbox delivered ${delivered} and the sink counted ${atSink}`,
    );
  }
  const registered = delivered / 2;
  const cpuPerRegistrationUs = c0 !== undefined && c1 !== undefined ? ((c1 - c0) * 1000) / registered : Number.NaN;
  return { answered, registered, delivered, drainMs: end - loadEnd, totalMs: end - t0, cpuPerRegistrationUs };
}
