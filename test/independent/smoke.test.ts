// Smoke test of the independent DPE server: loopback only, event-driven waits, under 10 s.
// node -r ts-node/register/transpile-only --test test/independent/smoke.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { buildServer, type DpeServer } from './server';
import { INDEPENDENT_FAULTS, INDEPENDENT_FREEDOMS } from './variants';

interface Received { path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }

/** Mock devices and SPs on one loopback port: /dev/<name> and /sps/<spId>. */
class MockNetwork extends EventEmitter {
  readonly got: Received[] = [];
  failNext = new Map<string, number>();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = req.url ?? '';
      this.got.push({ path: p, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> });
      const fails = this.failNext.get(p) ?? 0;
      if (fails > 0) this.failNext.set(p, fails - 1);
      res.writeHead(fails > 0 ? 503 : 204).end();
      this.emit('message');
    });
  });
  base = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> { return new Promise((r) => { this.server.close(() => r()); this.server.closeAllConnections(); }); }
  at(p: string): Received[] { return this.got.filter((m) => m.path === p); }
  /** Resolves once `count` messages reached path `p` (event-driven, 3 s deadline). */
  waitFor(p: string, count: number): Promise<Received[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.at(p).length < count) return false;
        this.off('message', check); clearTimeout(timer); resolve(this.at(p)); return true;
      };
      const timer = setTimeout(() => { this.off('message', check); reject(new Error(`timeout waiting for ${count} at ${p}: ${JSON.stringify(this.at(p).map((m) => m.body))}`)); }, 3000);
      if (!check()) this.on('message', check);
    });
  }
}

const net = new MockNetwork();
let dpe: DpeServer;
let base = '';
const TOKEN = 'smoke-token-1';

async function post(p: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
const register = (user: string, device: string, notify: string, id = 'r1') =>
  post('/dpe-1', { 'Message-Type': 'DPE_Registration_Request', 'Message-ID': id, 'User-Identity': user, 'Device-Identity': device, 'Notify-URI': `${net.base}${notify}` });
const sp = (body: Record<string, unknown>, token = TOKEN) => post('/dpe-2', body, { authorization: `Bearer ${token}` });
const types = (ms: Received[]) => ms.map((m) => `${String(m.body['Message-Type'])}:${String(m.body.Group_ID ?? m.body['Policy-ID'] ?? m.body['Group-ID'] ?? '')}`);

before(async () => {
  await net.start();
  dpe = buildServer({ policy: 'per-user-and-device', log: () => undefined });
  base = await dpe.listen(0, '127.0.0.1');
});
after(async () => { await dpe.close(); await net.stop(); });

test('catalog has enough faults and freedoms', { timeout: 8000 }, () => {
  assert.ok(INDEPENDENT_FAULTS.length >= 18);
  assert.ok(INDEPENDENT_FREEDOMS.length >= 10);
});

test('register, onboard, define, query, SIM move, report with retry', { timeout: 8000 }, async () => {
  const user = 'tel:+15550001';
  const onboarded = await post('/provisioning/service-providers', { 'SP-ID': 'sp-smoke', Token: TOKEN, 'Notify-URI': `${net.base}/sps/sp-smoke` });
  assert.equal(onboarded.status, 201);

  const q0 = await sp({ 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 7, 'Query-Key': user });
  assert.deepEqual(q0.json, { 'Message-Type': 'DPE_Client_ID_Response', 'Message-ID': 7, 'Client-ID': null });
  assert.equal((await sp({ 'Message-Type': 'DPE_Group_Set', 'Message-ID': 8, 'User-Identity': user, 'Group-ID': 'G1', Properties: ['Model'] })).status, 204);

  const r1 = await register(user, 'imei-A', '/dev/A');
  assert.equal(r1.status, 200);
  assert.equal(r1.json['Message-ID'], 'r1');
  const cidA = r1.json['Client-ID'] as string;
  const onA = await net.waitFor('/dev/A', 3);
  assert.deepEqual(types(onA), ['DPE_Group_Release:*', 'DPE_Policy_Release:*', 'DPE_Group_Set:G1']);
  const first = await net.waitFor('/sps/sp-smoke', 1);
  assert.deepEqual(first[0].body['Client-ID'], [cidA]);
  assert.equal(first[0].body['Replaces-Client-ID'], undefined);

  net.failNext.set('/sps/sp-smoke', 1); // the SIM-move report is refused once, then retried
  const r2 = await register(user, 'imei-B', '/dev/B', 'r2');
  const cidB = r2.json['Client-ID'] as string;
  assert.notEqual(cidB, cidA);
  const onB = await net.waitFor('/dev/B', 3);
  assert.deepEqual(types(onB), ['DPE_Group_Release:*', 'DPE_Policy_Release:*', 'DPE_Group_Set:G1']);
  assert.ok(onB.every((m) => m.headers['dpe-client-id'] === cidB));
  const reports = await net.waitFor('/sps/sp-smoke', 3);
  assert.equal(reports[1].body['Message-ID'], reports[2].body['Message-ID']);
  assert.deepEqual(reports[2].body['Client-ID'], [cidB]);
  assert.deepEqual(reports[2].body['Replaces-Client-ID'], [cidA]);

  const q1 = await sp({ 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 9, 'Query-Key': user });
  assert.deepEqual(q1.json['Client-ID'], [cidB]);

  // Unchanged re-registration keeps the ID and releases nothing: the next relay follows directly.
  const r3 = await register(user, 'imei-B', '/dev/B', 'r3');
  assert.equal(r3.json['Client-ID'], cidB);
  await sp({ 'Message-Type': 'DPE_Group_Set', 'Message-ID': 10, 'User-Identity': user, 'Group-ID': 'G2', Properties: ['Battery'] });
  const onB2 = await net.waitFor('/dev/B', 4);
  assert.deepEqual(types(onB2.slice(3)), ['DPE_Group_Set:G2']);
  assert.equal(net.at('/dev/A').length, 3, 'the device the SIM left gets no relay');
});

test('rejections carry the binding error object', { timeout: 8000 }, async () => {
  const noToken = await post('/dpe-2', { 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 1, 'Query-Key': 'tel:+1' });
  assert.equal(noToken.status, 401);
  assert.equal(noToken.json.Error.Code, 'UNAUTHORIZED');
  const basic = await sp({ 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 1, 'Query-Key': 'tel:+1' }, 'x');
  assert.equal(basic.status, 401);
  const noId = await post('/dpe-1', { 'Message-Type': 'DPE_Registration_Request', 'Message-ID': 'x', 'Notify-URI': `${net.base}/dev/X` });
  assert.equal(noId.status, 400);
  assert.equal(noId.json.Error.Code, 'MISSING_IDENTITY');
  const numeric = await post('/dpe-1', { 'Message-Type': 'DPE_Registration_Request', 'Message-ID': 5, 'Notify-URI': 'x' });
  assert.deepEqual([numeric.json.Error.Code, numeric.json.Error.IE], ['INVALID_IE', 'Message-ID']);
});

test('CLI prints one listening line, exits 0 on SIGTERM, 2 on an unknown fault', { timeout: 8000 }, async (t) => {
  const main = path.join(__dirname, 'main.ts');
  const args = ['-r', 'ts-node/register/transpile-only', main];
  const bad = spawn(process.execPath, [...args, '--fault', 'no-such-fault'], { stdio: 'pipe' });
  const badExit = new Promise<number | null>((r) => bad.once('exit', (c) => r(c)));
  const child = spawn(process.execPath, [...args, '--port', '0'], { stdio: 'pipe' });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); if (bad.exitCode === null) bad.kill('SIGKILL'); });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString()));
    child.once('exit', (c) => reject(new Error(`exited ${c}`)));
  });
  assert.match(line, /^independent DPE server listening on http:\/\/127\.0\.0\.1:\d+\n$/);
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.equal(await badExit, 2);
});
