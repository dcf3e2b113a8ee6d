/**
 * The one starter of servers that print "listening on <URL>" (src/process/listening-process.ts):
 * ready on the line, an error naming the process and showing its output when it exits first or
 * stays silent past its deadline, and a stop that ends even a process ignoring SIGTERM.
 * Small `node -e` servers on loopback only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { startListening } from '../../src/process/listening-process';

const node = (script: string, extra: Partial<Parameters<typeof startListening>[0]> = {}) =>
  startListening({ name: 'the test server', args: ['-e', script], cwd: tmpdir(), deadlineMs: 10_000, ...extra });

const SERVER = `
const s = require('node:http').createServer((q, r) => r.end(process.env.ANSWER ?? 'ok'));
s.listen(0, '127.0.0.1', () => console.log('test server listening on http://127.0.0.1:' + s.address().port + ' (pid ' + process.pid + ')'));
`;

describe('startListening', { timeout: 60_000 }, () => {
  it('resolves with the URL it prints, passes its environment, and stop() waits for the exit', async () => {
    const p = await node(SERVER, { env: { ANSWER: 'from-env' } });
    try {
      assert.match(p.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the URL ends before the parenthesis');
      assert.equal(await (await fetch(p.url)).text(), 'from-env');
      assert.match(p.output(), /listening on/);
    } finally {
      await p.stop();
    }
    assert.equal((await p.exited).signal, 'SIGTERM');
  });

  it('a process that exits before it listens is an error naming it, with what it printed', async () => {
    await assert.rejects(
      node('console.error("no port for me"); process.exit(3)'),
      /the test server exited \(3\) before it listened:\nno port for me/,
    );
  });

  it('a process silent past its deadline is an error naming it, with what it printed', async () => {
    await assert.rejects(
      node('console.log("starting"); setInterval(() => {}, 1000)', { deadlineMs: 5_000 }),
      /the test server printed no "listening on" line within 5000 ms:\nstarting/,
    );
  });

  it('stop() with killAfterMs ends a process that ignores SIGTERM', async () => {
    const p = await node(`process.on('SIGTERM', () => {}); ${SERVER}`, { killAfterMs: 300 });
    const t0 = Date.now();
    await p.stop();
    assert.equal((await p.exited).signal, 'SIGKILL');
    assert.ok(Date.now() - t0 < 5_000, `stopped in ${Date.now() - t0} ms`);
  });
});
