/**
 * Shared by the delivery tests (test/unit/delivery-faults.test.ts, in process;
 * test/integration/server-process.test.ts, the standalone server): the SP they onboard, how they
 * cause one DPE_Client_ID_Report and find the reports an SP received, and the cleanup of what a
 * test file started.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import type { Sink } from './probe';
import { fresh, imei, msisdn, post, query, registration } from './probe';

export const SP = { spId: 'sp-f', token: 'sp-f-token-0001' };

/** The SP asks about a fresh user, who then registers: one DPE_Client_ID_Report to that SP. */
export async function causeReport(url: string, sinkUrl: string, token = SP.token): Promise<string> {
  const u = msisdn();
  assert.equal((await post(url, '/dpe-2', query(u), { token })).status, 200);
  assert.equal((await post(url, '/dpe-1', registration(u, imei(), `${sinkUrl}/dev/${fresh()}`))).status, 200);
  return u;
}

export const reportsTo = (sink: Sink, path: string) => sink.on_(path).filter((r) => r.body['Message-Type'] === 'DPE_Client_ID_Report');

export type Closable = { close(): Promise<void> } | { stop(): Promise<void> };

/** A list to push what a test file starts onto: closed after its tests, the last started first. */
export function closedAfterTests(): Closable[] {
  const list: Closable[] = [];
  after(async () => {
    for (const x of list.splice(0).reverse()) await ('close' in x ? x.close() : x.stop());
  });
  return list;
}
