/**
 * The harness's own parts, apart from any server: the trace and its event-driven waits, the pure
 * conformance checks of expect.ts (each with a passing and a failing case whose message names
 * message, IE and clause), fresh identities, and loading of ICS and IXIT files.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceEntry } from '../../src/harness/trace';
import { Trace } from '../../src/harness/trace';
import { ConformanceFailure, checkReport, checkReportMessageIdsUnique, distinctReports } from '../../src/harness/expect';
import { IdentityFactory, luhnDigit, runNonce } from '../../src/harness/identities';
import { ConfigError, loadIcs, loadIxit } from '../../src/config/load';
import { referenceIcs } from '../../src/config/ics';
import { DEFAULT_IXIT } from '../../src/config/ixit';

function add(trace: Trace, messageType: string, body: Record<string, unknown> = {}, to = 'phone A'): TraceEntry {
  return trace.add({ from: 'DPE Server', to, kind: 'notify', messageType, body: { 'Message-Type': messageType, ...body }, problems: [] });
}

/** Runs `fn`, which must throw a ConformanceFailure whose message matches every pattern. */
function fails(fn: () => void, ...patterns: RegExp[]): ConformanceFailure {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ConformanceFailure, `expected a ConformanceFailure, got ${String(caught)}`);
  for (const p of patterns) assert.match(caught.message, p);
  return caught;
}

const isType = (t: string) => (e: TraceEntry) => e.messageType === t;
const later = (fn: () => void) => setImmediate(fn);

describe('Trace', () => {
  it('numbers entries from 1 and marks the next one', () => {
    const t = new Trace();
    assert.equal(t.mark(), 1);
    add(t, 'A');
    add(t, 'B');
    assert.deepEqual(
      t.entries.map((e) => [e.seq, e.messageType]),
      [
        [1, 'A'],
        [2, 'B'],
      ],
    );
    assert.equal(t.mark(), 3);
    assert.equal(t.find(isType('A'), 2), undefined);
    assert.match(t.describe(), /#1 \+\d+ms DPE Server -> phone A: A/);
  });

  it('waitFor resolves on a later matching entry, not on earlier or other ones', async () => {
    const t = new Trace();
    add(t, 'DPE_Group_Set'); // before the mark: ignored
    const since = t.mark();
    const waiting = t.waitFor(isType('DPE_Group_Set'), since, 2000);
    later(() => {
      add(t, 'DPE_Policy_Release');
      later(() => add(t, 'DPE_Group_Set', { 'Group-ID': 'g2' }));
    });
    const got = await waiting;
    assert.equal(got?.seq, 3);
    assert.deepEqual(got?.body, { 'Message-Type': 'DPE_Group_Set', 'Group-ID': 'g2' });
  });

  it('waitFor returns an entry already there at once', async () => {
    const t = new Trace();
    const e = add(t, 'X');
    const started = Date.now();
    assert.equal(await t.waitFor(isType('X'), 1, 5000), e);
    assert.ok(Date.now() - started < 100);
  });

  it('waitFor gives undefined at the deadline', async () => {
    const t = new Trace();
    add(t, 'Y');
    const started = Date.now();
    assert.equal(await t.waitFor(isType('X'), 1, 40), undefined);
    const took = Date.now() - started;
    assert.ok(took >= 35 && took < 1000, `took ${took} ms`);
    add(t, 'X'); // a late entry wakes no stale waiter
    assert.equal(t.entries.length, 2);
  });

  it('waitForCount waits until enough entries arrived', async () => {
    const t = new Trace();
    add(t, 'R');
    const waiting = t.waitForCount(isType('R'), 1, 3, 2000);
    later(() => {
      add(t, 'other');
      add(t, 'R');
      later(() => add(t, 'R'));
    });
    assert.deepEqual(
      (await waiting).map((e) => e.seq),
      [1, 3, 4],
    );
  });

  it('waitForCount of distinct reports waits past a report delivered again (at-least-once), which is no second report', async () => {
    const t = new Trace();
    const report = (id: number, ids: string[]) =>
      add(
        t,
        'DPE_Client_ID_Report',
        { 'Message-Type': 'DPE_Client_ID_Report', 'Message-ID': id, 'User-Identity': ['tel:+1'], 'Client-ID': ids },
        'maps',
      );
    report(1, ['c1']);
    const waiting = t.waitForCount(isType('DPE_Client_ID_Report'), 1, 2, 2000, distinctReports);
    later(() => {
      report(1, ['c1']); // the same report again
      later(() => report(2, ['c2']));
    });
    const got = await waiting;
    assert.deepEqual(
      got.map((e) => e.seq),
      [1, 2, 3],
    );
    checkReportMessageIdsUnique(got, 2);
    // one Message-ID that says two things is no redelivery: it still fails
    report(2, ['c3']);
    assert.throws(() => checkReportMessageIdsUnique(t.entries, 2), /say different things under the same Message-ID 2/);
  });

  it('waitForCount returns what it saw at the deadline', async () => {
    const t = new Trace();
    add(t, 'R');
    const got = await t.waitForCount(isType('R'), 1, 2, 30);
    assert.deepEqual(
      got.map((e) => e.seq),
      [1],
    );
  });

  it('quietUntil lasts until the quiet period since the mark is over', async () => {
    const t = new Trace();
    const from = t.now();
    const started = Date.now();
    await t.quietUntil(from, 50);
    const took = Date.now() - started;
    assert.ok(took >= 45 && took < 1000, `took ${took} ms`);
    // a period already over ends at once
    const s2 = Date.now();
    await t.quietUntil(t.now() - 100, 50);
    assert.ok(Date.now() - s2 < 20);
  });
});

describe('checkReport (6.3.7, 8.2.3)', () => {
  // the first entry of a fresh trace: #1
  const report = (body: Record<string, unknown>) => add(new Trace(), 'DPE_Client_ID_Report', body);
  const r = report({ 'Message-ID': 1, 'User-Identity': ['tel:+1'], 'Client-ID': ['c2'], 'Replaces-Client-ID': ['c1'] });

  it('includes: passes and fails', () => {
    checkReport(r, { includes: ['c2'] });
    fails(
      () => checkReport(r, { includes: ['c3'] }),
      /^DPE_Client_ID_Report \(#1\): IE Client-ID is \["c2"\], expected it to include c3 \(clause 6\.3\.7\)$/,
    );
  });

  it('excludes: passes and fails', () => {
    checkReport(r, { excludes: ['c1'] });
    fails(
      () => checkReport(r, { excludes: ['c2'] }),
      /IE Client-ID is \["c2"\], but c2 is no longer valid for the user \(clause 6\.3\.7\)/,
    );
  });

  it('within: passes and fails on a Client ID that is not currently valid', () => {
    checkReport(r, { within: ['c2', 'c3'] });
    fails(
      () => checkReport(r, { within: ['c3'] }),
      /IE Client-ID is \["c2"\], but c2 is not currently valid for the user \(valid: c3\) \(clause 6\.3\.7\)/,
    );
  });

  it('a bag is required unless null is expected', () => {
    fails(
      () => checkReport(report({ 'Client-ID': null }), { includes: [] }),
      /IE Client-ID is null, expected a bag with the user's current Client ID \(clause 6\.3\.7\)/,
    );
    fails(() => checkReport(report({ 'Client-ID': 'c2' }), {}), /IE Client-ID is "c2", expected a bag/);
  });

  it('nullClientId: passes and fails', () => {
    checkReport(report({ 'User-Identity': ['tel:+1'], 'Client-ID': null }), { nullClientId: true });
    fails(
      () => checkReport(r, { nullClientId: true }),
      /IE Client-ID is \["c2"\], expected null: the user has no Client ID any more \(clause 6\.3\.7\)/,
    );
  });

  it('replaces: passes, is optional, and fails on an id the user did not lose', () => {
    checkReport(r, { replaces: ['c1'] });
    checkReport(report({ 'Client-ID': ['c2'] }), { replaces: ['c1'] }); // Replaces-Client-ID is optional (6.3.7)
    fails(
      () => checkReport(r, { replaces: ['c0'] }),
      /IE Replaces-Client-ID lists c1, which is not a Client ID the user had before and lost \(expected only c0\) \(clause 6\.3\.7\)/,
    );
  });

  it('Replaces-Client-ID: not an empty bag, never a current id', () => {
    fails(
      () => checkReport(report({ 'Client-ID': ['c2'], 'Replaces-Client-ID': [] }), {}),
      /IE Replaces-Client-ID is \[\]; when present it is a non-empty bag/,
    );
    fails(
      () => checkReport(report({ 'Client-ID': ['c2'], 'Replaces-Client-ID': 'c1' }), {}),
      /IE Replaces-Client-ID is "c1"; when present/,
    );
    fails(
      () => checkReport(report({ 'Client-ID': ['c2'], 'Replaces-Client-ID': ['c2'] }), {}),
      /IE Replaces-Client-ID lists c2, which the report's Client-ID also lists as current \(clause 6\.3\.7\)/,
    );
  });

  it('noReplaces: passes when absent, fails when present', () => {
    checkReport(report({ 'Client-ID': ['c2'] }), { noReplaces: true });
    fails(
      () => checkReport(r, { noReplaces: true }),
      /IE Replaces-Client-ID is \["c1"\], expected it absent: the user had no Client ID before \(clause 6\.3\.7\)/,
    );
  });
});

describe('IdentityFactory', () => {
  const isLuhnValid = (digits: string) =>
    [...digits].reverse().reduce((sum, ch, i) => {
      let d = Number(ch);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      return sum + d;
    }, 0) %
      10 ===
    0;

  it('computes the Luhn digit of a known IMEI', () => {
    assert.equal(luhnDigit('49015420323751'), '8'); // IMEI 490154203237518
    assert.equal(isLuhnValid('490154203237518'), true);
    assert.equal(isLuhnValid('490154203237517'), false);
  });

  it('makes unique identities; IMEIs are 15 digits and Luhn-valid', () => {
    const f = new IdentityFactory();
    const imeis = Array.from({ length: 300 }, () => f.imei());
    const msisdns = Array.from({ length: 300 }, () => f.msisdn());
    const sips = Array.from({ length: 50 }, () => f.sipUri('Alice'));
    assert.equal(new Set(imeis).size, 300);
    assert.equal(new Set(msisdns).size, 300);
    assert.equal(new Set(sips).size, 50);
    for (const i of imeis) {
      assert.match(i, /^\d{15}$/);
      assert.ok(isLuhnValid(i), `${i} fails the Luhn check`);
    }
    for (const m of msisdns) assert.match(m, /^tel:\+1555\d{11}$/);
    for (const s of sips) assert.match(s, /^sip:alice\.\d{6}\.\d+@dpe-test\.invalid$/);
  });

  it('differs between runs (nonces) so an external server never sees an identity twice', () => {
    const a = new IdentityFactory('000001');
    const b = new IdentityFactory('000002');
    assert.notEqual(a.msisdn(), b.msisdn());
    assert.notEqual(a.imei(), b.imei());
  });

  it("ends each worker's nonce in its worker number: no two workers of a run make the same identity", () => {
    assert.match(runNonce('3'), /^\d{4}03$/);
    assert.match(runNonce('17'), /^\d{4}17$/);
    assert.match(runNonce(undefined), /^\d{4}00$/);
    // the same random part cannot make the workers' identities meet
    const made = (worker: string) => {
      const f = new IdentityFactory(`4242${worker.padStart(2, '0')}`);
      return [...Array.from({ length: 50 }, () => f.msisdn()), ...Array.from({ length: 50 }, () => f.imei()), f.sipUri('Alice')];
    };
    const all = ['0', '1', '2', '3'].flatMap(made);
    assert.equal(new Set(all).size, all.length);
  });
});

describe('ICS and IXIT loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dpe-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let k = 0;
  const file = (content: unknown): string => {
    const f = join(dir, `c${++k}.json`);
    writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
    return f;
  };
  const rejects = (load: (f: string) => unknown, content: unknown, ...patterns: RegExp[]) => {
    const f = file(content);
    assert.throws(
      () => load(f),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.ok(e.message.includes(f), `names the file: ${e.message}`);
        for (const p of patterns) assert.match(e.message, p);
        return true;
      },
    );
  };
  const ics = referenceIcs('per-device');
  const { clientIdPolicy: _omit, ...icsWithoutPolicy } = ics;

  it('loads a valid ICS and IXIT unchanged', () => {
    assert.deepEqual(loadIcs(file(ics)), ics);
    assert.deepEqual(loadIxit(file(DEFAULT_IXIT)), DEFAULT_IXIT);
  });

  it('ICS: a missing field', () => {
    rejects(loadIcs, icsWithoutPolicy, /is not a valid DPE conformance ICS/, /\/clientIdPolicy: is missing/);
  });

  it('ICS: a value outside the enum', () => {
    rejects(
      loadIcs,
      { ...ics, clientIdPolicy: 'per-moon' },
      /\/clientIdPolicy: must be one of "per-registration", "per-user-and-device", "per-device"/,
    );
    rejects(loadIcs, { ...ics, errata: { E01: 'sometimes' } }, /\/errata\/E01: must be one of "strict", "lenient"/);
  });

  it('ICS: an unknown field', () => {
    rejects(loadIcs, { ...ics, colour: 'blue' }, /\/colour: is not a known field/);
    rejects(
      loadIcs,
      { ...ics, implementation: { name: 'x', version: '1', vendor: 'y' } },
      /\/implementation\/vendor: is not a known field/,
    );
  });

  it('ICS: a wrong type', () => {
    rejects(loadIcs, { ...ics, networkIdentityHeaders: 'yes' }, /\/networkIdentityHeaders: must be boolean/);
  });

  it('not JSON, or no file', () => {
    rejects(loadIcs, '{"clientIdPolicy": ', /is not JSON/);
    rejects(loadIxit, 'mockHost: 127.0.0.1', /is not JSON/);
    assert.throws(
      () => loadIxit(join(dir, 'absent.json')),
      (e: unknown) => e instanceof ConfigError && /cannot read .*absent\.json/.test(e.message),
    );
  });

  it('IXIT: missing nested field, bad token, extra field, out of range', () => {
    rejects(
      loadIxit,
      { ...DEFAULT_IXIT, timing: { deliveryDeadlineMs: 1000 } },
      /is not a valid DPE conformance IXIT/,
      /\/timing\/quietPeriodMs: is missing/,
    );
    rejects(
      loadIxit,
      { ...DEFAULT_IXIT, serviceProviders: [{ alias: 'maps', spId: 'a', token: 'short' }, DEFAULT_IXIT.serviceProviders[1]] },
      /\/serviceProviders\/0\/token: must NOT have fewer than 8 characters/,
    );
    rejects(loadIxit, { ...DEFAULT_IXIT, proxy: true }, /\/proxy: is not a known field/);
    rejects(loadIxit, { ...DEFAULT_IXIT, mockPort: 70000 }, /\/mockPort: must be <= 65535/);
  });
});
