/**
 * Row d of the bench: registrations per second the reference server answers (a separate process,
 * through the binding, autocannon on loopback) against a bare node:http JSON handler on the same
 * machine: an unchanged re-registration, and new-device registrations whose device-change
 * messages go to a loopback sink (a separate process), including the time the outbox needs to
 * deliver them all.
 */
import { startReferenceProcess } from '../../src/cli/reference-process';
import { startListening, type ListeningProcess } from './processes';
import { benchIdentity, getJson, load, postJson, registrationBody, type LoadResult } from './load';
import { millis, rate, ratio, row, seconds, type Row } from './table';

export interface ThroughputOptions {
  connections: number;
  durationS: number;
}

const BARE = 'scripts/bench/bare-server.js';

interface Health {
  delivery: { queued: number; inFlight: number; counters: { delivered: number; gaveUp: number } };
}

export async function throughputRows(o: ThroughputOptions): Promise<Row[]> {
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const sink = await startListening([BARE, 'sink']);
    started.push(sink);
    const bare = await startListening([BARE, 'bare']);
    started.push(bare);
    const ref = await startReferenceProcess(['--policy', 'per-user-and-device', '--log-level', 'error']);
    started.push(ref);
    const run = (url: string, extra: Partial<Parameters<typeof load>[0]>) => load({ url, connections: o.connections, durationS: o.durationS, ...extra });
    const warm = (url: string, extra: Partial<Parameters<typeof load>[0]>) => load({ url, connections: o.connections, durationS: 1, ...extra });

    // the bare handler answers the same request with a fixed body
    const { user, device } = benchIdentity(1, 1);
    const reg = registrationBody(user, device, `${sink.url}/d/${device}`, 'bench-rereg');
    const bareAnswer = JSON.stringify({ 'Message-Type': 'DPE_Registration_Response', 'Message-ID': 'bench-rereg', 'Client-ID': 'dpe-bare-0123456789abcdefghij' });
    const first = await postJson(`${ref.url}/dpe-1`, JSON.parse(reg));
    const clientId = (first.body as Record<string, unknown> | undefined)?.['Client-ID'];
    if (first.status !== 200 || typeof clientId !== 'string') throw new Error(`the reference server did not register the bench device: ${first.status} ${JSON.stringify(first.body)}`);
    // an unchanged re-registration keeps its Client ID (per-user-and-device): every answer is this one
    const refAnswer = JSON.stringify({ 'Message-Type': 'DPE_Registration_Response', 'Message-ID': 'bench-rereg', 'Client-ID': clientId });

    await warm(`${bare.url}/dpe-1`, { body: reg, expectBody: bareAnswer });
    const bare1 = await run(`${bare.url}/dpe-1`, { body: reg, expectBody: bareAnswer });
    await warm(`${ref.url}/dpe-1`, { body: reg, expectBody: refAnswer });
    const unchanged = await run(`${ref.url}/dpe-1`, { body: reg, expectBody: refAnswer });
    const bare2 = await run(`${bare.url}/dpe-1`, { body: reg, expectBody: bareAnswer });
    // the bare rate before and after the reference run: drift of the machine's load shows as their spread
    const bareRate = (bare1.perSecond + bare2.perSecond) / 2;

    const newDevice = await newDeviceRun(ref, sink, o);

    const bareFigures = `bare node:http ${rate(bare1.perSecond)} and ${rate(bare2.perSecond)} (before and after)`;
    return [
      row({
        id: 'd.reregistration/bare',
        what: 'unchanged re-registrations answered per second: reference server ÷ bare node:http JSON handler',
        figures: `reference ${rate(unchanged.perSecond)} (p50 ${millis(unchanged.p50Ms)}, p99 ${millis(unchanged.p99Ms)}); ${bareFigures}; ${o.connections} connections, ${o.durationS} s each`,
        ratio: ratio(unchanged.perSecond, bareRate),
        goal: { op: '>=', bound: 0.5, source: 'issue 9' },
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
        figures: `${newDevice.registered} registrations, ${newDevice.delivered} messages delivered in ${seconds(newDevice.totalMs)} (outbox drained ${seconds(newDevice.drainMs)} after the load)`,
        ratio: ratio((newDevice.registered * 1000) / newDevice.totalMs, bareRate),
      }),
    ];
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
}

async function newDeviceRun(
  ref: { url: string; adminToken: string },
  sink: ListeningProcess,
  o: ThroughputOptions,
): Promise<{ answered: LoadResult; registered: number; delivered: number; drainMs: number; totalMs: number }> {
  const health = () => getJson(`${ref.url}/health`, { authorization: `Bearer ${ref.adminToken}` }) as Promise<Health>;
  const sinkCount = async () => ((await getJson(`${sink.url}/count`)) as { received: number }).received;
  const before = (await health()).delivery.counters;
  const sinkBefore = await sinkCount();
  let n = 0;
  const nextBody = () => {
    const { user, device } = benchIdentity(++n, 2);
    return registrationBody(user, device, `${sink.url}/d/${device}`, `bench-new-${n}`);
  };
  const t0 = performance.now();
  const answered = await load({ url: `${ref.url}/dpe-1`, connections: o.connections, durationS: o.durationS, nextBody });
  const loadEnd = performance.now();
  // event-driven would need a hook into the server; its health endpoint is polled, bounded in time
  const deadline = loadEnd + 120_000;
  let h = await health();
  while ((h.delivery.queued > 0 || h.delivery.inFlight > 0) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    h = await health();
  }
  if (h.delivery.queued > 0 || h.delivery.inFlight > 0) throw new Error(`the reference server's outbox did not drain within 120 s of the load (${h.delivery.queued} queued)`);
  const end = performance.now();
  const delivered = h.delivery.counters.delivered - before.delivered;
  const gaveUp = h.delivery.counters.gaveUp - before.gaveUp;
  const atSink = (await sinkCount()) - sinkBefore;
  if (gaveUp > 0) throw new Error(`the reference server gave up ${gaveUp} device-change messages to the loopback sink`);
  // a fresh tel: user on a fresh device gets the two "*" releases (no SP defined settings); requests
  // in flight when the load stopped were registered too, though autocannon counted no answer
  const most = (answered.total + o.connections) * 2;
  if (delivered < answered.total * 2 || delivered > most || atSink < delivered) {
    throw new Error(`expected ${answered.total * 2}–${most} device-change messages, the outbox delivered ${delivered} and the sink counted ${atSink}`);
  }
  return { answered, registered: delivered / 2, delivered, drainMs: end - loadEnd, totalMs: end - t0 };
}
