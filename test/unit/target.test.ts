/**
 * The one path to the server under test: a base path in the target URL is kept for every
 * request, and a missing answer is judged (a ConformanceFailure on the no-answer entry) once
 * the preflight saw the target answer, an environment error (TargetError) otherwise.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MessageValidator } from '../../src/catalog/validate';
import { ConformanceFailure } from '../../src/harness/expect';
import { freeLoopbackPort } from '../../src/process/loopback-port';
import { Target, TargetError, targetUrl } from '../../src/harness/target';
import { Trace } from '../../src/harness/trace';

describe('target URLs', () => {
  it('keep the base path of the target for every request', () => {
    assert.equal(targetUrl('http://h:7700', '/dpe-1'), 'http://h:7700/dpe-1');
    assert.equal(targetUrl('http://h:7700/', '/dpe-1'), 'http://h:7700/dpe-1');
    assert.equal(targetUrl('http://h/base', '/dpe-2'), 'http://h/base/dpe-2');
    assert.equal(targetUrl('http://h/base/', '/provisioning/service-providers'), 'http://h/base/provisioning/service-providers');
    assert.equal(targetUrl('https://h/a/b/', 'dpe-1'), 'https://h/a/b/dpe-1');
  });
});

describe('a target that does not answer', () => {
  const send = async (judge: boolean) => {
    const target = new Target(`http://127.0.0.1:${await freeLoopbackPort()}/base/`, new MessageValidator({}), 1000, judge);
    const trace = new Trace();
    const e = await target.post('/dpe-1', { 'Message-Type': 'DPE_Registration_Request' }, trace, { from: 'phone A' }).then(
      () => assert.fail('a closed port answered'),
      (x: unknown) => x,
    );
    return { e, trace };
  };

  it('after a good preflight: a ConformanceFailure about the no-answer entry (a verdict)', async () => {
    const { e, trace } = await send(true);
    assert.ok(e instanceof ConformanceFailure, String(e));
    assert.match(
      e.message,
      /DPE_Registration_Request to http:\/\/127\.0\.0\.1:\d+\/base\/dpe-1: fetch failed \(ECONNREFUSED\) \(the target answered the preflight, then stopped answering\)/,
    );
    assert.deepEqual(
      e.entries.map((x) => x.messageType),
      ['no answer'],
    );
    assert.equal(e.entries[0], trace.entries.at(-1));
  });

  it('without a preflight: a TargetError (an environment error)', async () => {
    const { e } = await send(false);
    assert.ok(e instanceof TargetError && !(e instanceof ConformanceFailure), String(e));
  });
});

describe('a target reached through a bounded pool (a load run)', () => {
  it('carries any number of requests at once over no more connections than the pool holds', async () => {
    const { createServer } = await import('node:http');
    const { Agent } = await import('undici');
    let connections = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const pool = new Agent({ connections: 3 });
    try {
      const { port } = server.address() as import('node:net').AddressInfo;
      const target = new Target(`http://127.0.0.1:${port}`, new MessageValidator({}), 5000, true, pool);
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          target.post('/dpe-1', { 'Message-Type': 'DPE_Registration_Request' }, new Trace(), { from: 'phone A' }),
        ),
      );
      assert.ok(answers.every((a) => a.status === 200));
      assert.ok(connections >= 1 && connections <= 3, `${connections} connections for 40 requests at once`);
    } finally {
      await pool.close();
      await new Promise((r) => server.close(r));
    }
  });
});
