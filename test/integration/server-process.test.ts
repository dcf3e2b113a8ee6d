/**
 * The standalone reference server (src/server/main.ts, a separate OS process) drains its outbox
 * on SIGTERM within its bound (docs/security.md, "Delivery"): what is queued is delivered, and a
 * hanging SP cannot hold the exit beyond --drain-ms. Loopback only; waits are event-driven. The
 * server runs compiled (as the package and the image run it: src/harness/compiled-code.ts).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { compiledTree } from '../../src/harness/compiled-code';
import { Sink, fresh, imei, msisdn, post, query, registration, until, within } from '../unit/support/probe';

const ROOT = resolve(__dirname, '../..');
const SP = { spId: 'sp-f', token: 'sp-f-token-0001' };

const toClose: Array<{ stop(): Promise<void> }> = [];
const children: ChildProcess[] = [];
after(async () => {
  // a server left running (a failed start or check) would keep this file's process alive
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const x of toClose.splice(0).reverse()) await x.stop();
});

/** The SP asks about a fresh user, who then registers: one DPE_Client_ID_Report to that SP. */
async function causeReport(url: string, sinkUrl: string, token = SP.token): Promise<string> {
  const u = msisdn();
  assert.equal((await post(url, '/dpe-2', query(u), { token })).status, 200);
  assert.equal((await post(url, '/dpe-1', registration(u, imei(), `${sinkUrl}/dev/${fresh()}`))).status, 200);
  return u;
}

const reportsTo = (sink: Sink, path: string) => sink.on_(path).filter((r) => r.body['Message-Type'] === 'DPE_Client_ID_Report');

describe('SIGTERM drains the outbox within its bound (standalone server)', { timeout: 60_000 }, () => {
  async function startProcess(sink: Sink, extra: string[]) {
    const main = join(compiledTree(ROOT), 'dist', 'src', 'server', 'main.js');
    const child = spawn(process.execPath, [main, '--port', '0', '--sp', `${SP.spId},${SP.token},${sink.url}/sp/f`, ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await within(
      until<string>(child.stdout, 'data', () => /listening on (http:\/\/\S+)/.test(out), 15_000, 'the listening line').then(() => /listening on (http:\/\/\S+)/.exec(out)![1]),
      16_000,
      'start',
    );
    return { child, url, exited, stderr: () => err };
  }

  it('delivers what is queued, then exits 0', async () => {
    const sink = await new Sink().start();
    toClose.push(sink);
    let refusals = 0;
    sink.behaviour.set('/sp/f', () => (refusals++ < 2 ? 503 : 204));
    const p = await startProcess(sink, ['--drain-ms', '5000']);
    const u = await causeReport(p.url, sink.url);
    await until(sink, 'refused', () => true, 5_000, 'a refused attempt');
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    const code = await within(p.exited, 6_000, 'exit after SIGTERM');
    assert.equal(code, 0);
    assert.ok(reportsTo(sink, '/sp/f').some((r) => (r.body['User-Identity'] as string[])[0] === u), 'the queued report was delivered while draining');
    assert.ok(Date.now() - t0 < 5_000, `drained in ${Date.now() - t0} ms`);
    assert.match(p.stderr(), /"event":"draining"/);
  });

  it('a hanging SP cannot hold the exit beyond --drain-ms; the give-up is logged', async () => {
    const sink = await new Sink().start();
    toClose.push(sink);
    sink.behaviour.set('/sp/f', () => 'hang');
    const p = await startProcess(sink, ['--drain-ms', '800', '--attempt-timeout-ms', '30000']);
    await causeReport(p.url, sink.url);
    await until(sink, 'hung', () => true, 5_000, 'the SP hanging on the report');
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    assert.equal(await within(p.exited, 5_000, 'exit after SIGTERM'), 0);
    const took = Date.now() - t0;
    assert.ok(took >= 700 && took < 3_000, `exited ${took} ms after SIGTERM (bound 800 ms)`);
    const lines = p.stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.some((l) => l.event === 'delivery-given-up' && l.reason === 'shutdown' && l.messageType === 'DPE_Client_ID_Report'), p.stderr());
  });
});
