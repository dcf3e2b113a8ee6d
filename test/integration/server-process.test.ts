/**
 * The standalone reference server (src/server/main.ts, a separate OS process) drains its outbox
 * on SIGTERM within its bound (docs/security.md, "Delivery"): what is queued is delivered, and a
 * hanging SP cannot hold the exit beyond --drain-ms. Loopback only; waits are event-driven. The
 * server runs compiled (as the package and the image run it: src/harness/compiled-code.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { compiledTree } from '../../src/harness/compiled-code';
import { startListening } from '../../src/process/listening-process';
import { Sink, until, within } from '../unit/support/probe';
import { SP, causeReport, closedAfterTests, reportsTo } from '../unit/support/reports';

const ROOT = resolve(__dirname, '../..');

// a server left running (a failed start or check) would keep this file's process alive
const toClose = closedAfterTests();

describe('SIGTERM drains the outbox within its bound (standalone server)', { timeout: 60_000 }, () => {
  async function startProcess(sink: Sink, extra: string[]) {
    const main = join(compiledTree(ROOT), 'dist', 'src', 'server', 'main.js');
    const p = await startListening({
      name: 'the standalone reference server',
      args: [main, '--port', '0', '--sp', `${SP.spId},${SP.token},${sink.url}/sp/f`, ...extra],
      cwd: ROOT,
      deadlineMs: 15_000,
      killAfterMs: 1_000,
    });
    toClose.push(p);
    return p;
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
    const { code } = await within(p.exited, 6_000, 'exit after SIGTERM');
    assert.equal(code, 0);
    assert.ok(
      reportsTo(sink, '/sp/f').some((r) => (r.body['User-Identity'] as string[])[0] === u),
      'the queued report was delivered while draining',
    );
    assert.ok(Date.now() - t0 < 5_000, `drained in ${Date.now() - t0} ms`);
    assert.match(p.output(), /"event":"draining"/);
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
    assert.equal((await within(p.exited, 15_000, 'exit after SIGTERM')).code, 0);
    const took = Date.now() - t0;
    // well short of the 30 s attempt timeout it would otherwise wait; loose for a loaded machine
    assert.ok(took >= 700 && took < 10_000, `exited ${took} ms after SIGTERM (bound 800 ms)`);
    const lines = p
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(
      lines.some((l) => l.event === 'delivery-given-up' && l.reason === 'shutdown' && l.messageType === 'DPE_Client_ID_Report'),
      p.output(),
    );
  });
});
