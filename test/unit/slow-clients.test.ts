/**
 * Slow and abusive clients on raw loopback sockets (docs/security.md, "Input"): trickled headers
 * and bodies are cut off by the header and request timeouts (configured short here), the
 * connection cap closes connections beyond it, an over-limit Content-Length is answered 413 at
 * once without the body being read, and an endless chunked body is cut off at the limit.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { DpeServer } from '../../src/server/app';
import { post, registration, startDpe, imei, msisdn, within } from './support/probe';

const LIMITS = { headersTimeoutMs: 300, requestTimeoutMs: 1_000, maxConnections: 4, maxBodyBytes: 16 * 1024, maxJsonDepth: 8 };

interface Exchange {
  socket: net.Socket;
  /** Everything the server sent. */
  text(): string;
  /** Resolves when the server closed the connection: ms since connect and bytes we managed to write. */
  closed: Promise<{ ms: number; written: number }>;
  written: number;
}

function connect(port: number): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const t0 = Date.now();
    const ex: Exchange = {
      socket,
      text: () => data,
      written: 0,
      closed: new Promise((r) => socket.once('close', () => r({ ms: Date.now() - t0, written: ex.written }))),
    };
    socket.on('data', (c) => (data += c.toString('latin1')));
    socket.on('error', () => undefined); // a reset by the server is an expected end here
    socket.once('connect', () => resolve(ex));
    socket.once('error', reject);
  });
}

/** Writes `text` one character every `everyMs` until done or the socket closes (the client's pace). */
function trickle(ex: Exchange, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    const ch = text[i++];
    if (ex.socket.destroyed || ch === undefined) return clearInterval(timer);
    ex.socket.write(ch);
    ex.written++;
  }, everyMs);
  ex.socket.once('close', () => clearInterval(timer));
}

/** Writes `chunk` as fast as the socket drains, until it closes or `max` bytes went out. */
function flood(ex: Exchange, chunk: Buffer, max: number): void {
  const pump = () => {
    while (!ex.socket.destroyed && ex.written < max) {
      ex.written += chunk.length;
      if (!ex.socket.write(chunk)) return void ex.socket.once('drain', pump);
    }
  };
  pump();
}

describe('slow and abusive clients are cut off within the configured bounds', { timeout: 60_000 }, () => {
  let dpe: DpeServer;
  let url: string;
  let port: number;
  before(async () => {
    ({ dpe, url } = await startDpe({ policy: 'per-user-and-device', limits: LIMITS }));
    port = Number(new URL(url).port);
  });
  after(() => dpe.close());

  it('headers trickled one byte per 50 ms are cut off by the header timeout (300 ms): 408, connection closed', async () => {
    const ex = await connect(port);
    trickle(ex, `POST /dpe-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`, 50);
    const { ms } = await within(ex.closed, 3_000, 'the server closing a trickled-header connection');
    assert.ok(ms >= 250 && ms < 1_000, `closed after ${ms} ms`);
    assert.match(ex.text(), /^HTTP\/1\.1 408/);
  });

  it('a body trickled one byte per 50 ms is cut off by the request timeout (1 s): 408, connection closed', async () => {
    const ex = await connect(port);
    const body = JSON.stringify(registration(msisdn(), imei(), 'http://127.0.0.1:9/dev/x'));
    ex.socket.write(`POST /dpe-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    trickle(ex, body, 50);
    const { ms } = await within(ex.closed, 4_000, 'the server closing a trickled-body connection');
    assert.ok(ms >= 900 && ms < 2_000, `closed after ${ms} ms`);
    assert.match(ex.text(), /^HTTP\/1\.1 408/);
    assert.ok(ex.written < body.length, 'the body had not arrived in full');
  });

  it('an over-limit Content-Length is answered 413 at once, before any body byte, and the connection closed', async () => {
    const ex = await connect(port);
    const t0 = Date.now();
    ex.socket.write('POST /dpe-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n');
    const { ms } = await within(ex.closed, 2_000, 'the 413 and close');
    assert.ok(Date.now() - t0 < 500, `answered in ${ms} ms without waiting for the body`);
    const [head, body] = ex.text().split('\r\n\r\n');
    assert.ok(head !== undefined && body !== undefined, 'a head and a body');
    assert.match(head, /^HTTP\/1\.1 413/);
    assert.match(head, /connection: close/i);
    assert.equal(JSON.parse(body).Error.Code, 'PAYLOAD_TOO_LARGE');
  });

  it('an over-limit Content-Length with a body pouring in: 413, and the server stops reading (closes) early', async (t) => {
    const ex = await connect(port);
    ex.socket.write('POST /dpe-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n');
    flood(ex, Buffer.alloc(64 * 1024, 0x20), 1_000_000_000);
    const { written } = await within(ex.closed, 5_000, 'the close');
    assert.match(ex.text(), /^HTTP\/1\.1 413/);
    assert.ok(written < 32 * 1024 * 1024, `the client wrote ${written} bytes before the close (of 1 GB declared)`);
    t.diagnostic(`the client got ${written} bytes into the socket before the server closed it`);
  });

  it('an endless chunked body is cut off at the limit: 413, connection closed', async (t) => {
    const ex = await connect(port);
    ex.socket.write('POST /dpe-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const data = Buffer.alloc(8 * 1024, 0x20);
    flood(ex, Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]), 1_000_000_000);
    const { written } = await within(ex.closed, 5_000, 'the close');
    assert.match(ex.text(), /^HTTP\/1\.1 413/);
    assert.ok(written < 32 * 1024 * 1024, `the client wrote ${written} bytes before the close (endless body)`);
    t.diagnostic(`the client got ${written} bytes into the socket before the server closed it`);
  });

  it(`connections beyond the cap (${LIMITS.maxConnections}) are closed at once; a freed slot serves again`, async () => {
    const held = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => connect(port)));
    // each held connection starts a request, so the server has accepted all of them
    for (const h of held) h.socket.write('POST /dpe-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const extra = await connect(port);
    const { ms } = await within(extra.closed, 1_000, 'the connection beyond the cap being closed');
    assert.ok(ms < 500, `closed after ${ms} ms`);
    assert.equal(extra.text(), '', 'nothing is served beyond the cap');
    const [first, ...others] = held;
    assert.ok(first);
    first.socket.destroy();
    await first.closed;
    for (const h of others) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    const a = await post(url, '/dpe-1', registration(msisdn(), imei(), 'http://127.0.0.1:9/dev/y'));
    assert.equal(a.status, 200, 'served again once connections are free');
  });
});
