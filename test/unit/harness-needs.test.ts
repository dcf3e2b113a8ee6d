/**
 * What the delivery-fault and body-limit scenarios need of the IXIT: the retry horizon (default,
 * floor, schema), the declared body limit, the SPs' own ports, and the `@needs-` tags that make a
 * scenario not applicable with the reason when the harness cannot stage it; and the padded bodies
 * that go exactly one byte over the declared limit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Ixit } from '../../src/config/ixit';
import { DEFAULT_IXIT, EXTERNAL_DEFAULT_IXIT, ixitSchema, spsHaveOwnPorts } from '../../src/config/ixit';
import { validateConfig } from '../../src/config/load';
import { RETRY_HORIZON_DEFAULT_MS, RETRY_HORIZON_FLOOR_MS, retryHorizonOf, timingBelowFloor } from '../../src/config/timing';
import { harnessCanStage, HARNESS_NEEDS, needsOf, scenarioApplies } from '../../src/requirements/applicability';
import { referenceIcs } from '../../src/config/ics';
import { loadScenarios } from '../../src/requirements/features';
import { BODY_SIZES, bodySize, chunkedBody, paddedJson, tracedAs } from '../../src/harness/oversized';
import { badRegistration } from '../../src/harness/bad-input';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageValidator } from '../../src/catalog/validate';
import { Target, TargetError } from '../../src/harness/target';
import { Trace } from '../../src/harness/trace';

const withTiming = (t: Partial<Ixit['timing']>): Ixit => ({ ...DEFAULT_IXIT, timing: { ...DEFAULT_IXIT.timing, ...t } });

describe('IXIT: retry horizon and body limit', () => {
  it('defaults the retry horizon and flags one below the floor on the certificate', () => {
    assert.equal(retryHorizonOf(DEFAULT_IXIT), RETRY_HORIZON_DEFAULT_MS);
    assert.equal(retryHorizonOf(withTiming({ retryHorizonMs: 30_000 })), 30_000);
    assert.deepEqual(timingBelowFloor(DEFAULT_IXIT), []);
    const low = timingBelowFloor(withTiming({ retryHorizonMs: RETRY_HORIZON_FLOOR_MS - 1 }));
    assert.equal(low.length, 1);
    assert.match(low[0]!, /retryHorizonMs 1999 ms is below the floor of 2000 ms/);
  });

  it('validates the new fields, naming the one that is wrong', () => {
    assert.doesNotThrow(() =>
      validateConfig(ixitSchema, { ...withTiming({ retryHorizonMs: 60_000 }), limits: { maxBodyBytes: 1_048_576 } }, 'x.json'),
    );
    assert.throws(
      () => validateConfig(ixitSchema, withTiming({ retryHorizonMs: 5.5 }), 'x.json'),
      /\/timing\/retryHorizonMs: must be integer/,
    );
    assert.throws(
      () => validateConfig(ixitSchema, withTiming({ retryHorizonMs: 10_000_000 }), 'x.json'),
      /\/timing\/retryHorizonMs: must be <= 600000/,
    );
    assert.throws(
      () => validateConfig(ixitSchema, { ...DEFAULT_IXIT, limits: { maxBodyBytes: 10 } }, 'x.json'),
      /\/limits\/maxBodyBytes: must be >= 1024/,
    );
    assert.throws(
      () => validateConfig(ixitSchema, { ...DEFAULT_IXIT, limits: { maxBody: 1 } }, 'x.json'),
      /\/limits\/maxBody: is not a known field/,
    );
  });

  it("declares the embedded server's body limit, and none for an external target without an IXIT", () => {
    assert.equal(DEFAULT_IXIT.limits?.maxBodyBytes, 65_536);
    assert.equal(EXTERNAL_DEFAULT_IXIT.limits, undefined);
    assert.equal(EXTERNAL_DEFAULT_IXIT.onboardThroughProvisioning, true);
  });

  it("gives the SPs ports of their own only when the ports are the harness's to pick", () => {
    assert.equal(spsHaveOwnPorts({ mockPort: 0 }), true);
    assert.equal(spsHaveOwnPorts({ mockPort: 7800 }), false);
  });
});

describe('@needs- tags: scenarios the harness cannot stage do not apply', () => {
  it('stages everything under the default IXIT', () => {
    const a = harnessCanStage(['@needs-sp-outage', '@needs-sp-unreachable', '@needs-body-limit', '@req-x'], DEFAULT_IXIT);
    assert.deepEqual(a, { applies: true, reason: undefined, unknownNeeds: [] });
  });

  it('gives the reason for each need the IXIT rules out', () => {
    const ixit: Ixit = { ...withTiming({ retryHorizonMs: 1000 }), mockPort: 7800, limits: {} };
    const a = harnessCanStage(['@needs-sp-outage', '@needs-sp-unreachable', '@needs-body-limit'], ixit);
    assert.equal(a.applies, false);
    assert.match(a.reason!, /retryHorizonMs \(1000 ms\) is below the 2000 ms/);
    assert.match(a.reason!, /mockPort is fixed \(7800\)/);
    assert.match(a.reason!, /declares no limits\.maxBodyBytes/);
  });

  it('joins the ICS in deciding whether a scenario applies (the certificate counts it as not applicable, not missing)', () => {
    const ics = referenceIcs('per-device');
    const tags = ['@req-binding.body-limit', '@needs-body-limit'];
    assert.equal(scenarioApplies(tags, ics).applies, true, 'without the IXIT, the ICS alone decides');
    assert.equal(scenarioApplies(tags, ics, DEFAULT_IXIT).applies, true);
    const a = scenarioApplies(tags, ics, EXTERNAL_DEFAULT_IXIT);
    assert.equal(a.applies, false);
    assert.match(a.reason!, /^the harness cannot stage it under the declared IXIT: the IXIT declares no limits\.maxBodyBytes/);
    // the ICS reason comes first: a scenario the ICS rules out is not the IXIT's business
    const icsOut = scenarioApplies(
      ['@req-policy.per-device.keeps-id', '@needs-body-limit'],
      referenceIcs('per-registration'),
      EXTERNAL_DEFAULT_IXIT,
    );
    assert.match(icsOut.reason!, /applies only when ICS clientIdPolicy/);
  });

  it('names a need it does not know (a typo in a tag must not pass silently)', () => {
    assert.deepEqual(harnessCanStage(['@needs-sp-outgae'], DEFAULT_IXIT).unknownNeeds, ['sp-outgae']);
  });

  it('knows every need the feature files use', () => {
    const used = new Set(loadScenarios().flatMap((s) => needsOf(s.tags)));
    assert.ok(used.size >= 3, `expected the delivery-fault and body-limit features to use @needs- tags, found ${[...used].join(', ')}`);
    for (const n of used) assert.ok(n in HARNESS_NEEDS, `@needs-${n} is used in features/ but HARNESS_NEEDS does not know it`);
  });
});

describe('bodies over the declared limit', () => {
  it('pads a message to exactly the size asked for', () => {
    const text = paddedJson((pad) => ({ 'Message-Type': 'DPE_Group_Set', Properties: ['speed', pad] }), 5000, 'DPE_Group_Set');
    assert.equal(Buffer.byteLength(text), 5000);
    assert.deepEqual(JSON.parse(text).Properties[0], 'speed');
    assert.throws(
      () => paddedJson(() => ({ 'Message-Type': 'DPE_Group_Set', Properties: ['speed'] }), 10, 'DPE_Group_Set'),
      /more than the 10 bytes asked for/,
    );
  });

  it('has one byte over the limit, with or without its length, and far over it', () => {
    assert.deepEqual(
      BODY_SIZES.map((b) => [b.bytes(1000), b.chunked]),
      [
        [1001, false],
        [1001, true],
        [16_000, true],
      ],
    );
    assert.throws(() => bodySize('a bit over'), /unknown body size "a bit over"; known: "one byte over/);
  });

  it('builds an over-limit registration that is otherwise valid, and traces it short', () => {
    const valid = {
      'Message-Type': 'DPE_Registration_Request',
      'Message-ID': 'm1',
      'User-Identity': 'tel:+15550000001',
      'Notify-URI': 'http://127.0.0.1:1/c',
    } as const;
    const req = badRegistration('one byte over the body limit, in chunks').make(valid, { maxBodyBytes: 2048 });
    assert.equal(Buffer.byteLength(req.raw!), 2049);
    assert.equal(req.chunked, true);
    const body = JSON.parse(req.raw!);
    assert.equal(body['User-Identity'], 'tel:+15550000001');
    assert.match(body['Message-ID'], /^m1-x+$/);
    assert.ok(req.tracedBody!.length < 300);
    assert.equal(badRegistration('one byte over the body limit, in chunks').code, 'PAYLOAD_TOO_LARGE');
    assert.throws(() => badRegistration('one byte over the body limit, in chunks').make(valid, {}), /declares no limits\.maxBodyBytes/);
    assert.match(tracedAs(req.raw!, 'DPE_Registration_Request'), /^\(DPE_Registration_Request of 2049 bytes: /);
  });

  it('streams a body in 16 KiB chunks that add up to it', async () => {
    const text = 'y'.repeat(40_000);
    const sizes: number[] = [];
    const reader = chunkedBody(text).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sizes.push(value.length);
    }
    assert.deepEqual(sizes, [16_384, 16_384, 7_232]);
  });
});

describe('a body cut off while it is sent', () => {
  it('is an answer with cutOff when the sender allows it, an error otherwise, and a timeout is never one', async () => {
    // a server that breaks every connection as soon as a request arrives
    const server = http.createServer((req) => req.socket.resetAndDestroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const target = new Target(url, new MessageValidator({}), 2000);
      const trace = new Trace();
      const a = await target.post('/dpe-2', undefined, trace, {
        from: 'maps provider',
        raw: 'x'.repeat(70_000),
        chunked: true,
        mayBeCutOff: true,
      });
      assert.equal(a.status, 0);
      assert.match(a.cutOff!, /ECONNRESET|socket|other side closed|fetch failed/);
      assert.equal(trace.entries.at(-1)!.messageType, 'no answer');
      await assert.rejects(target.post('/dpe-2', undefined, trace, { from: 'maps provider', raw: '{}' }), TargetError);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const target = new Target(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, new MessageValidator({}), 150);
      await assert.rejects(
        target.post('/dpe-2', undefined, new Trace(), { from: 'maps provider', raw: '{}', mayBeCutOff: true }),
        /no answer within 150 ms/,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
