/**
 * The hooks gateway (src/cli/hooks-gateway.ts) sits between the suite and a target in the CLI's
 * own process: whatever the target does to a connection, the gateway must not end the run, and the
 * suite sees a broken connection (a verdict on the target), never an answer the target did not give.
 * A guard: these targets did not make the gateway's one-time error listeners (before 2 December)
 * miss an error either; its listeners now stay for every error a relayed request may emit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHooksGateway } from '../../src/cli/hooks-gateway';

/** A target that takes the headers of a request and then drops the connection (or answers 413 first). */
async function droppingTarget(answerFirst = false): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (!answerFirst) return req.socket.destroy();
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
    res.end('{"Error":{"Code":"PAYLOAD_TOO_LARGE"}}', () => req.socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** POSTs a body written in pieces, a tick apart, through the gateway; resolves how the request ended. */
function slowPost(url: string, pieces: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/dpe-1`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(`answered ${res.statusCode}`));
      res.on('error', () => resolve('answer cut off'));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(`request failed: ${e.code ?? e.message}`));
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const next = () => {
      if (req.destroyed) return;
      if (sent++ < pieces) {
        req.write(chunk);
        setTimeout(next, 2);
      } else req.end();
    };
    next();
  });
}

describe('the hooks gateway', () => {
  for (const answerFirst of [false, true])
    it(`survives a target that ${answerFirst ? 'answers 413 and then drops' : 'drops'} connections while bodies are still being relayed`, async () => {
      const uncaught: Error[] = [];
      const onUncaught = (e: Error) => uncaught.push(e);
      process.on('uncaughtException', onUncaught);
      const target = await droppingTarget(answerFirst);
      const gateway = await startHooksGateway(target.url, 'admin-token-for-the-gateway-test');
      try {
        const outcomes = await Promise.all(Array.from({ length: 10 }, () => slowPost(gateway.url, 40)));
        // the suite sees a broken connection (a verdict on the target), never an answer the target did not give
        for (const o of outcomes)
          assert.match(o, answerFirst ? /^(answered 413|request failed|answer cut off)/ : /^(request failed|answer cut off)/);
        // errors the gateway's requests emit after the drop surface a tick later, if unhandled
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(
          uncaught.map((e) => e.message),
          [],
        );
      } finally {
        process.off('uncaughtException', onUncaught);
        await gateway.close();
        await target.close();
      }
    });
});
