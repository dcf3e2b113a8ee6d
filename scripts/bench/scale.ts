/**
 * Row e of the bench: the reference server's memory and its re-registration throughput and
 * latency as its state grows (1 k, 10 k, 100 k, 1 M associations). One child process
 * (scripts/bench/scale-server.ts) holds the server; its state is filled in bulk through the
 * registration transition, then re-registrations of filled devices go through the binding with
 * autocannon. Every filled device re-registered keeps its Client ID (checked), so the bulk
 * associations are ones the binding sees.
 */
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { Filled } from './scale-server';
import { load, postJson, registrationBody } from './load';
import type { Row } from './table';
import { bytes, count, millis, rate, ratio, row, seconds } from './table';
import { cpuMsOf, ROOT } from './processes';

export interface ScaleOptions {
  steps: number[];
  connections: number;
  durationS: number;
}

export interface ScalePoint {
  filled: Filled;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the server process per answered re-registration (NaN where /proc is missing). */
  cpuUs: number;
}

const GIB = 1024 ** 3;

export async function scaleRows(o: ScaleOptions): Promise<Row[]> {
  const points = await measure(o);
  return scaleTable(points);
}

/** The rows of section e from its measured points (pure). */
export function scaleTable(points: readonly ScalePoint[]): Row[] {
  const rows: Row[] = [];
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return rows;
  for (const p of points) {
    const n = p.filled.associations;
    rows.push(
      row({
        id: `e.reregistration@${count(n)}`,
        what: `re-registration throughput at ${count(first.filled.associations)} ÷ at ${count(n)} associations`,
        figures: `${rate(p.perSecond)}, p50 ${millis(p.p50Ms)}, p99 ${millis(p.p99Ms)}, ${p.cpuUs.toFixed(0)} µs CPU per answer; RSS ${bytes(p.filled.rssBytes)}, heap ${bytes(p.filled.heapUsedBytes)}; filled in ${seconds(p.filled.fillMs)}`,
        ratio: ratio(first.perSecond, p.perSecond),
        ...(p === last && n >= 1_000_000 && first.filled.associations <= 1000
          ? { goal: { op: '<=' as const, bound: 2, source: 'issue 9' } }
          : {}),
      }),
    );
  }
  if (last !== first && Number.isFinite(last.cpuUs) && Number.isFinite(first.cpuUs)) {
    rows.push(
      row({
        id: `e.cpu@${count(last.filled.associations)}`,
        what: `server CPU time per re-registration at ${count(last.filled.associations)} ÷ at ${count(first.filled.associations)} associations (hardly moved by the machine's load)`,
        figures: `${last.cpuUs.toFixed(0)} µs and ${first.cpuUs.toFixed(0)} µs per answer`,
        ratio: ratio(last.cpuUs, first.cpuUs),
      }),
    );
  }
  if (last.filled.associations >= 1_000_000) {
    rows.push(
      row({
        id: `e.rss@${count(last.filled.associations)}`,
        what: `RSS at ${count(last.filled.associations)} associations ÷ 1 GiB`,
        figures: `RSS ${bytes(last.filled.rssBytes)}`,
        ratio: last.filled.rssBytes / GIB,
        goal: { op: '<=', bound: 1, source: 'issue 9' },
      }),
    );
  }
  if (last !== first) {
    const n = last.filled.associations - first.filled.associations;
    rows.push(
      row({
        id: 'e.memory-per-association',
        what: `heap and RSS per association, from ${count(first.filled.associations)} to ${count(last.filled.associations)} (after a full GC)`,
        figures: `heap ${bytes((last.filled.heapUsedBytes - first.filled.heapUsedBytes) / n)}, RSS ${bytes((last.filled.rssBytes - first.filled.rssBytes) / n)} per association`,
        status: 'info',
      }),
    );
  }
  return rows;
}

async function measure(o: ScaleOptions): Promise<ScalePoint[]> {
  const child = fork(resolve(ROOT, 'scripts/bench/scale-server.ts'), [], {
    cwd: ROOT,
    execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const next = <T>(key: string, deadlineMs: number) =>
    new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`scale-server: no "${key}" within ${seconds(deadlineMs)}`)), deadlineMs);
      const onMessage = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolvePromise(m[key] as T);
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`scale-server exited (${code}) while the bench waited for "${key}"`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  try {
    const url = await next<string>('url', 30_000);
    const points: ScalePoint[] = [];
    for (const n of o.steps) {
      child.send({ fill: n });
      // a million bulk registrations take seconds; the deadline is generous and bounded
      const filled = await next<Filled>('filled', 10 * 60_000);
      const target = filled.sample[Math.floor(filled.sample.length / 2)];
      if (!target) throw new Error(`scale-server filled ${filled.associations} associations but gave no sample`);
      for (const s of filled.sample) {
        const res = await postJson(`${url}/dpe-1`, JSON.parse(registrationBody(s.user, s.device, s.notifyUri, 'bench-check')));
        const got = (res.body as Record<string, unknown> | undefined)?.['Client-ID'];
        if (res.status !== 200 || got !== s.clientId) {
          throw new Error(
            `re-registering bulk-filled device ${s.device}: expected its Client ID ${s.clientId}, got ${res.status} ${JSON.stringify(res.body)}`,
          );
        }
      }
      const body = registrationBody(target.user, target.device, target.notifyUri, 'bench-scale');
      const expectBody = JSON.stringify({
        'Message-Type': 'DPE_Registration_Response',
        'Message-ID': 'bench-scale',
        'Client-ID': target.clientId,
      });
      // warm: the first point also warms the JIT, which the later points would otherwise get for free
      await load({ url: `${url}/dpe-1`, body, expectBody, connections: o.connections, durationS: points.length ? 1 : 2 });
      const c0 = cpuMsOf(child.pid);
      const r = await load({ url: `${url}/dpe-1`, body, expectBody, connections: o.connections, durationS: o.durationS });
      const c1 = cpuMsOf(child.pid);
      const cpuUs = c0 !== undefined && c1 !== undefined ? ((c1 - c0) * 1000) / r.total : Number.NaN;
      points.push({ filled, perSecond: r.perSecond, p50Ms: r.p50Ms, p99Ms: r.p99Ms, cpuUs });
    }
    return points;
  } finally {
    if (child.connected) child.send({ stop: true });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
