// Outbound delivery. Messages to one destination go out one at a time, in the order they were
// planned (so "*" releases reach a device before its sets, binding Timing and order). Reports
// are delivered at least once: retried on a network error or non-2xx with the same Message-ID
// (binding, DPE-2 server to SP; E50), and later reports to that SP wait for earlier ones.
import * as http from 'node:http';
import * as https from 'node:https';
import type { Ctx } from './context';
import type { Outbound, Plan } from './types';

const RETRY_DELAYS_MS = [100, 200, 400, 800, 1600, 3200];
const SEND_TIMEOUT_MS = 2000;
const LATE_FAULT_DELAY_MS = 300;
const DELIVERY_DELAY_MS = 250;
const RAPID_RETRY_MS = 50;
const RAPID_RETRY_HORIZON_MS = 4500;
const PACE_MS = 100;
const REPORTS_FIRST_CAP_MS = 500;
const REDELIVERY_LATER_MS = 400;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export interface Dispatched { clients: Promise<void>; reportsFirstAttempt: Promise<void> }

export class Dispatcher {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly ctx: Ctx, private readonly allowRemote: boolean, private readonly log: (l: string) => void) {}

  /** Queues a plan now (in order); nothing is sent before `gate` resolves. */
  dispatch(plan: Plan, gate: Promise<void>): Dispatched {
    const start = this.ctx.flags.free('delivery-delay') ? gate.then(() => this.sleep(DELIVERY_DELAY_MS)) : gate;
    const clients: Promise<void>[] = [];
    const firsts: Promise<void>[] = [];
    // Freedom reports-before-device-messages: device messages wait for the reports' first attempts.
    const reportsFirst = this.ctx.flags.free('reports-before-device-messages');
    if (reportsFirst) for (const item of plan.now) if (item.to === 'sp') firsts.push(this.queueReport(item, start));
    const clientStart = reportsFirst ? start.then(() => Promise.race([Promise.all(firsts), this.sleep(REPORTS_FIRST_CAP_MS)])) : start;
    for (const item of plan.now) {
      if (item.to === 'client') clients.push(this.queue(`client ${item.notifyUri}`, () => clientStart.then(() => this.sendClient(item))));
      else if (!reportsFirst) firsts.push(this.queueReport(item, start));
    }
    const all = Promise.all(clients).then(() => undefined);
    if (plan.later.length > 0) {
      // Faults that send something "a few hundred ms after the expected messages".
      void Promise.all([all, ...firsts]).then(() => this.sleep(LATE_FAULT_DELAY_MS)).then(() => {
        this.dispatch({ now: plan.later, later: [] }, Promise.resolve());
      });
    }
    return { clients: all, reportsFirstAttempt: Promise.all(firsts).then(() => undefined) };
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private queue(key: string, job: () => Promise<void>): Promise<void> {
    // Freedom paced-deliveries: a pause after each message to one destination.
    const paced = this.ctx.flags.free('paced-deliveries') ? () => job().then(() => this.sleep(PACE_MS)) : job;
    const run = (this.queues.get(key) ?? Promise.resolve()).then(paced).catch((e: unknown) => this.log(`delivery error: ${String(e)}`));
    this.queues.set(key, run);
    return run;
  }

  private queueReport(item: Extract<Outbound, { to: 'sp' }>, start: Promise<void>): Promise<void> {
    let firstDone: () => void = () => undefined;
    const first = new Promise<void>((resolve) => { firstDone = resolve; });
    void this.queue(`sp ${item.spId}`, async () => {
      await start;
      await this.sendReport(item, firstDone);
    }).finally(firstDone);
    return first;
  }

  private async sendClient(item: Extract<Outbound, { to: 'client' }>): Promise<void> {
    if (this.closed) return;
    const status = await this.post(item.notifyUri, item.body, { 'DPE-Client-ID': item.clientId });
    if (status === undefined || status < 200 || status > 299) {
      this.log(`client ${item.notifyUri} did not accept ${String(item.body['Message-Type'])} (${status ?? 'no answer'})`);
    }
  }

  private async sendReport(item: Extract<Outbound, { to: 'sp' }>, firstDone: () => void): Promise<void> {
    const { flags, messages, store } = this.ctx;
    let body = item.body;
    const began = Date.now();
    for (let attempt = 0; ; attempt += 1) {
      const sp = store.sps.get(item.spId);
      if (this.closed || !sp) return;
      const status = await this.post(sp.notifyUri, body, {});
      firstDone();
      if (status !== undefined && status >= 200 && status <= 299) {
        // Freedom duplicate-report-deliveries: at-least-once, the SP de-duplicates by Message-ID.
        // Once at once, and once more a while later, when newer reports may have gone out.
        if (flags.free('duplicate-report-deliveries')) {
          await this.post(sp.notifyUri, body, {});
          const again = body;
          void this.sleep(REDELIVERY_LATER_MS).then(() => (this.closed ? undefined : this.post(sp.notifyUri, again, {})));
        }
        return;
      }
      const rapid = flags.free('rapid-retries');
      const givenUp = rapid ? Date.now() - began + RAPID_RETRY_MS > RAPID_RETRY_HORIZON_MS : attempt >= RETRY_DELAYS_MS.length;
      if (flags.faulty('no-report-retry') || (flags.faulty('no-retry-on-http-error') && status !== undefined) || givenUp) {
        this.log(`report ${String(body['Message-ID'])} to ${item.spId} given up`);
        return;
      }
      await this.sleep(rapid ? RAPID_RETRY_MS : RETRY_DELAYS_MS[attempt]);
      if (flags.faulty('retry-new-message-id')) {
        const user = Array.isArray(body['User-Identity']) ? String(body['User-Identity'][0]) : null;
        body = { ...body, 'Message-ID': messages.reportMessageId(user) };
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) { resolve(); return; }
      const t = setTimeout(() => { this.timers.delete(t); resolve(); }, ms);
      this.timers.add(t);
    });
  }

  /** One POST; resolves with the status, or undefined on a network error or timeout. */
  private post(uri: string, body: Record<string, unknown>, extra: Record<string, string>): Promise<number | undefined> {
    let url: URL;
    try { url = new URL(uri); } catch { return Promise.resolve(undefined); }
    if (!this.allowRemote && !LOOPBACK.test(url.hostname)) {
      this.log(`not delivering to non-loopback ${url.host} (use --allow-remote-notify)`);
      return Promise.resolve(undefined);
    }
    const data = Buffer.from(JSON.stringify(body));
    const mod = url.protocol === 'https:' ? https : http;
    const { flags } = this.ctx;
    const chunked = flags.free('chunked-deliveries');
    const headers: Record<string, string | number> = {
      'content-type': flags.free('json-charset-content-type') ? 'application/json; charset=utf-8' : 'application/json',
    };
    if (!chunked) headers['content-length'] = data.length;
    for (const [name, value] of Object.entries(extra)) headers[chunked ? name.toLowerCase() : name] = value;
    return new Promise((resolve) => {
      const req = mod.request(url, { method: 'POST', agent: false, timeout: SEND_TIMEOUT_MS, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
        res.on('error', () => resolve(res.statusCode));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(undefined));
      if (chunked) {
        // No Content-Length: node frames the body as Transfer-Encoding chunked.
        const half = Math.floor(data.length / 2);
        req.write(data.subarray(0, half));
        req.end(data.subarray(half));
      } else req.end(data);
    });
  }
}
