/**
 * A delivery attempt to an SP that never answers ends at its timeout, even when garbage is
 * collected meanwhile. It did not: the timeout was AbortSignal.timeout() inside AbortSignal.any(),
 * which holds its sources weakly, so a collection during the attempt took the timeout with it and
 * the attempt hung for good — no retry, the report lost. Under load, collections are frequent:
 * this was the reference server's rare miss of the sp-outage example "leaves every report
 * unanswered" (seen in about 1 of 20 runs).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { attemptDelivery, MAX_SOCKETS_PER_ORIGIN } from '../../src/server/attempt';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A loopback receiver that takes every message and answers none. */
async function silentReceiver(): Promise<{ port: number; close: () => Promise<void> }> {
  const held: Array<{ destroy(): void }> = [];
  const server = createServer((req) => void held.push(req.socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      for (const s of held) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('a delivery attempt to an SP that never answers', () => {
  it('ends at its timeout while garbage is collected every 20 ms', async () => {
    const sp = await silentReceiver(); // takes the report, never answers
    const { port } = sp;
    const collect = setInterval(gc, 20);
    try {
      const outcome = await Promise.race([
        attemptDelivery(
          { url: `http://127.0.0.1:${port}/sp`, headers: {}, body: { 'Message-Type': 'DPE_Client_ID_Report' } } as never,
          300,
          new AbortController().signal,
        ),
        new Promise<string>((r) => setTimeout(() => r('still waiting after 5 s'), 5_000).unref()),
      ]);
      assert.equal(outcome, 'no answer within 300 ms');
    } finally {
      clearInterval(collect);
      await sp.close();
    }
  });
});

describe('a delivery attempt behind others to the same host and port', () => {
  it('waits for a connection without its answer timeout running, and that wait is bounded too', async () => {
    const sink = await silentReceiver();
    const { port } = sink;
    const to = (i: number) =>
      ({ url: `http://127.0.0.1:${port}/clients/s/d${i}`, headers: {}, body: { 'Message-Type': 'DPE_Group_Set' } }) as never;
    const stop = new AbortController();
    try {
      // every connection the agent may open to this port is taken by a destination that never answers
      const ahead = Array.from({ length: MAX_SOCKETS_PER_ORIGIN }, (_, i) => attemptDelivery(to(i), 60_000, stop.signal));
      const behind = await attemptDelivery(to(-1), 50, stop.signal, 400);
      assert.equal(behind, `no connection to 127.0.0.1:${port} free within 400 ms`, 'its 50 ms answer timeout did not run while it waited');
      stop.abort();
      assert.ok((await Promise.all(ahead)).every((o) => o === 'aborted: the outbox stopped'));
    } finally {
      stop.abort();
      await sink.close();
    }
  });
});
