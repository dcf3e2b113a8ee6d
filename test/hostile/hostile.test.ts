/**
 * Hostile targets: the suite run by URL against servers that hang, break connections, answer
 * garbage or 5xx, or send malformed, unexpected or flooding messages to the mock clients and SPs.
 * Every case must end within its bound with fail verdicts for the affected scenarios, and the
 * harness must never hang or crash: the run finishes (testRunFinished), and every failed step
 * failed with a verdict on the target (ConformanceFailure, TargetError), not a harness bug.
 *
 * Run: node -r ts-node/register/transpile-only --test test/hostile/*.test.ts   (npm run test:hostile)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Handler, HostileServer, SuiteRun } from './support';
import { plausible, post, runSuite, startHostile, VERDICT_EXCEPTIONS } from './support';

/** Scenarios that reach every kind of exchange: registration, device change, report, query. */
const BROAD = '@req-reg.response-client-id or @req-dc.release-groups or @req-cid.report-on-change or @req-query.answered';
/** Scenarios the plausible server passes (control), so junk it sends is what fails them. */
const REGISTRATION = '@req-reg.response-client-id';

function firstLine(s: string): string {
  const [line = ''] = s.split('\n', 1);
  return line;
}

function describeRun(r: SuiteRun): string {
  const bad = r.scenarios.map(
    (s) => `  ${s.status} ${s.name}: ${s.exceptions.map((e) => `${e.type}: ${firstLine(e.message).slice(0, 160)}`).join(' / ')}`,
  );
  return `exit ${r.exitCode}, ${r.ms} ms, finished ${r.finished}\n${bad.join('\n')}\n--- output tail ---\n${r.output.slice(-1500)}`;
}

/**
 * The run ended in its bound and did not crash; every applicable scenario (`all`) or at least
 * one (`some`: a flood hits the scenario running when it starts) failed with a verdict on the
 * target, for the expected reason; no step failed with a harness error.
 */
function assertFailVerdicts(r: SuiteRun, boundMs: number, why: RegExp, affected: 'all' | 'some' = 'all'): void {
  assert.ok(!r.timedOut, `the suite did not end within ${boundMs} ms (killed)\n${describeRun(r)}`);
  assert.ok(r.finished, `the run did not finish (no testRunFinished): the harness crashed\n${describeRun(r)}`);
  assert.equal(r.runException, undefined, `the run failed outside scenarios\n${describeRun(r)}`);
  assert.doesNotMatch(r.output, /UnhandledPromiseRejection|uncaughtException|Unhandled rejection|ERR_UNHANDLED/i, describeRun(r));
  assert.ok(r.scenarios.length > 0, `no scenario ran\n${describeRun(r)}`);
  assert.equal(r.exitCode, 1, `expected exit 1 (failures)\n${describeRun(r)}`);
  const applicable = r.scenarios.filter((s) => s.status !== 'SKIPPED');
  const failed = applicable.filter((s) => s.status === 'FAILED');
  assert.ok(failed.length > 0, `no scenario failed\n${describeRun(r)}`);
  if (affected === 'all') {
    for (const s of applicable) assert.equal(s.status, 'FAILED', `"${s.name}" ended ${s.status}, expected FAILED\n${describeRun(r)}`);
  }
  for (const s of applicable) assert.ok(s.status === 'FAILED' || s.status === 'PASSED', `"${s.name}" ended ${s.status}\n${describeRun(r)}`);
  for (const s of failed) {
    for (const e of s.exceptions) {
      assert.ok(VERDICT_EXCEPTIONS.has(e.type), `"${s.name}" failed with ${e.type} (a harness error, not a verdict): ${e.message}`);
    }
    assert.ok(
      s.exceptions.some((e) => why.test(e.message)),
      `"${s.name}" failed, but not for the expected reason ${why}\n${describeRun(r)}`,
    );
  }
}

interface Case {
  name: string;
  handler: Handler;
  tags: string;
  boundMs: number;
  why: RegExp;
  onboard?: boolean;
  affected?: 'all' | 'some';
}

const send =
  (status: number, type: string, body: string): Handler =>
  (_q, _b, res) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
  };

/** Misbehaviour towards the mocks: each registration first sends each of `bodies` to the client's Notify-URI. */
const toClient = (...bodies: Array<{ body: string; contentType?: string }>) =>
  plausible(async (uri, clientId) => {
    for (const b of bodies)
      await post(uri, b.body, { 'DPE-Client-ID': clientId, ...(b.contentType ? { 'content-type': b.contentType } : {}) });
  });

const toSps = (...bodies: string[]) =>
  plausible(async (_uri, _cid, ctx) => {
    for (const sp of ctx.spUris) for (const b of bodies) await post(sp, b);
  });

/**
 * Floods once, on the first registration: `count` messages, at most 50 in flight, loopback
 * only; the first 50 arrive before the registration is answered, the rest while the suite runs.
 */
function flood(count: number, target: 'client' | 'sp', body: (i: number) => string): Handler {
  let started = false;
  return plausible(async (uri, clientId, ctx) => {
    if (started) return;
    started = true;
    const dest = target === 'client' ? [uri] : ctx.spUris;
    /** The k-th message's destination: round robin over `dest`. */
    const to = (k: number) => {
      const d = dest[k % dest.length];
      assert.ok(d !== undefined, `flood of the ${target}: no Notify-URI to send to`);
      return d;
    };
    let i = 0;
    const lane = async () => {
      while (i < count) {
        const n = i++;
        await post(to(n), body(n), { 'DPE-Client-ID': clientId });
      }
    };
    await Promise.all(Array.from({ length: 50 }, (_, k) => post(to(k), body(count + k), { 'DPE-Client-ID': clientId })));
    void Promise.all(Array.from({ length: 50 }, lane));
  });
}

const NO_ANSWER =
  /no answer|not complete|cut off|answered|terminated|socket|closed|fetch failed|other side|reset|not JSON|malformed|DPE_Registration_Response|expected 200/i;
const CATALOG = /break the message catalog|not JSON|Content-Type|exceeds|Message-Type|IE /i;

const CASES: Case[] = [
  {
    name: 'a server that accepts connections and never answers',
    handler: () => undefined,
    tags: BROAD,
    boundMs: 120_000,
    why: /no answer within/,
  },
  {
    name: 'a server that sends headers and then stalls the body',
    handler: (_q, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"Message-Type": "DPE_Regis');
    },
    tags: BROAD,
    boundMs: 120_000,
    why: NO_ANSWER,
  },
  {
    name: 'a server that closes the connection mid-answer',
    handler: (q, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 200 });
      res.write('{"Message-Type": "DPE_Registration_Response", "Mess', () => q.socket.destroy());
    },
    tags: BROAD,
    boundMs: 90_000,
    why: NO_ANSWER,
  },
  {
    name: 'a server that answers with an endless body',
    handler: (_q, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.write('{"Message-Type": "DPE_Registration_Response", "Padding": "');
      pump();
    },
    tags: BROAD,
    boundMs: 120_000,
    why: NO_ANSWER,
  },
  { name: 'a server that resets every connection', handler: (q) => q.socket.destroy(), tags: BROAD, boundMs: 90_000, why: NO_ANSWER },
  {
    name: 'a server that answers HTML garbage with 200',
    handler: send(200, 'text/html', '<html><body>It works!</body></html>'),
    tags: BROAD,
    boundMs: 90_000,
    why: NO_ANSWER,
  },
  {
    name: 'a server that answers well-formed JSON of the wrong types',
    handler: send(
      200,
      'application/json',
      JSON.stringify({ 'Message-Type': 'DPE_Registration_Response', 'Message-ID': 5, 'Client-ID': 12345 }),
    ),
    tags: BROAD,
    boundMs: 90_000,
    why: /malformed|Client-ID|expected/i,
  },
  {
    name: 'a server that answers 503 with no body',
    handler: send(503, 'text/plain', ''),
    tags: BROAD,
    boundMs: 90_000,
    why: /503|expected 200/,
  },
  {
    name: 'a server that answers 500 with an HTML page',
    handler: send(500, 'text/html', '<h1>Internal Server Error</h1>'),
    tags: BROAD,
    boundMs: 90_000,
    why: /500|expected 200/,
  },
  {
    name: 'broken JSON sent to the client',
    handler: toClient({ body: '{"Message-Type": "DPE_Group_Release", "Group_ID": "*", ' }),
    tags: REGISTRATION,
    boundMs: 60_000,
    why: CATALOG,
  },
  {
    name: 'wrongly typed IEs sent to the client',
    handler: toClient({ body: JSON.stringify({ 'Message-Type': 'DPE_Group_Release', Group_ID: 42, 'Message-ID': 7 }) }),
    tags: REGISTRATION,
    boundMs: 60_000,
    why: CATALOG,
  },
  {
    name: 'an unknown Message-Type sent to the client',
    handler: toClient({ body: JSON.stringify({ 'Message-Type': 'DPE_Self_Destruct', 'Message-ID': 'x-1' }) }),
    tags: REGISTRATION,
    boundMs: 60_000,
    why: CATALOG,
  },
  {
    name: 'JSON that is not an object, and plain text, sent to the client',
    handler: toClient({ body: '[1, 2, 3]' }, { body: 'null' }, { body: 'hello', contentType: 'text/plain' }),
    tags: REGISTRATION,
    boundMs: 60_000,
    why: CATALOG,
  },
  {
    name: 'an oversized message sent to the client',
    handler: toClient({
      body: JSON.stringify({ 'Message-Type': 'DPE_Group_Set', 'Message-ID': 'big', 'Group-ID': 'g', Properties: ['x'.repeat(300_000)] }),
    }),
    tags: REGISTRATION,
    boundMs: 60_000,
    why: CATALOG,
  },
  {
    name: 'malformed reports and unknown messages sent to the SPs',
    handler: toSps(
      JSON.stringify({
        'Message-Type': 'DPE_Client_ID_Report',
        'Message-ID': 'not-an-integer',
        'User-Identity': 5,
        'Client-ID': 'not-a-bag',
      }),
      JSON.stringify({ 'Message-Type': 'DPE_Unknown', 'Message-ID': 1 }),
      '{"Message-Type": ',
    ),
    tags: REGISTRATION,
    onboard: true,
    boundMs: 60_000,
    why: CATALOG,
  },
  {
    name: 'a flood of 2,000 unexpected messages to the client',
    handler: flood(2000, 'client', (i) => JSON.stringify({ 'Message-Type': 'DPE_Flood', 'Message-ID': `f-${i}` })),
    tags: REGISTRATION,
    boundMs: 90_000,
    why: CATALOG,
    affected: 'some',
  },
  {
    name: 'a flood of 2,000 malformed reports to the SPs',
    handler: flood(2000, 'sp', (i) =>
      JSON.stringify({ 'Message-Type': 'DPE_Client_ID_Report', 'Message-ID': i, 'User-Identity': 'x', 'Client-ID': 7 }),
    ),
    tags: REGISTRATION,
    onboard: true,
    boundMs: 90_000,
    why: CATALOG,
    affected: 'some',
  },
];

describe('hostile targets', { concurrency: 2 }, () => {
  it('control: the plausible server passes the registration scenarios the junk cases use', async () => {
    const server = await startHostile(plausible());
    try {
      const r = await runSuite({ target: server.url, tags: REGISTRATION, boundMs: 60_000 });
      assert.ok(r.finished && !r.timedOut, describeRun(r));
      assert.ok(r.scenarios.length > 0, describeRun(r));
      assert.equal(r.exitCode, 0, `the control must pass, or the junk cases prove nothing\n${describeRun(r)}`);
    } finally {
      await server.close();
    }
  });

  for (const c of CASES) {
    it(`${c.name}: ends within ${c.boundMs / 1000} s with fail verdicts`, async () => {
      const server: HostileServer = await startHostile(c.handler);
      try {
        const r = await runSuite({ target: server.url, tags: c.tags, boundMs: c.boundMs, onboard: c.onboard });
        assert.ok(server.requests > 0, 'the suite never reached the hostile server');
        assertFailVerdicts(r, c.boundMs, c.why, c.affected);
      } finally {
        await server.close();
      }
    });
  }
});
