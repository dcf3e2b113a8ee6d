/**
 * The fast plan of `npm run mutation` proves what the matrix (--full) proves: the same faults,
 * each on the scenarios of what it breaks, and every legal behaviour exactly once, alone or in a
 * profile that scripts/mutation-profiles.ts lets share a server. The profile checks refuse the
 * combinations that could hide a member's false failure, and a profile's server has every
 * member's behaviour at once.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { referenceIcs } from '../../src/config/ics';
import { buildVariantProfile } from '../../src/harness/variant-profile';
import type { DpeServer } from '../../src/server/app';
import type { Variant } from '../../src/server/variants';
import type { Job } from '../../scripts/mutation-job';
import { memberOf, serverIcs } from '../../scripts/mutation-job';
import { plan } from '../../scripts/mutation-plan';
import { checkProfile, profileIcs, PROFILES } from '../../scripts/mutation-profiles';
import { imei, msisdn, post, query, registration, Sink } from './support/probe';

const fast = plan({ full: false, independent: true });
const full = plan({ full: true, independent: true });
const isFault = (j: Job) => j.kind === 'mutant' || j.kind === 'ind-fault';
const behaviour = (j: Job) => `${j.kind} ${j.name} [${j.policy}] ${JSON.stringify(j.ics)}`;

/** Members of the matrix by key, as the plan builds them. */
const legal = full.jobs.filter((j) => j.key !== undefined);
const members = (...keys: string[]) => keys.map((k) => legal.find((j) => j.key === k && j.policy === 'per-user-and-device')!).map(memberOf);
const problemsOf = (name: string, keys: string[]) => {
  const ms = members(...keys);
  const found: string[] = [];
  const ics = profileIcs(name, serverIcs(legal.find((j) => j.key === keys[0])!), ms, found);
  return [...found, ...checkProfile(name, ms, ics)];
};

describe('the fast plan proves what the matrix proves', () => {
  it('has no plan problem: every profile passes its checks', () => {
    assert.deepEqual(fast.problems, []);
    assert.deepEqual(full.problems, []);
  });

  it('runs every legal behaviour of the matrix exactly once, alone or in a profile', () => {
    const proven = fast.jobs.filter((j) => !isFault(j)).flatMap((j) => j.members ?? [j]);
    assert.deepEqual(
      proven.map(behaviour).sort(),
      full.jobs
        .filter((j) => !isFault(j))
        .map(behaviour)
        .sort(),
    );
    const profiles = fast.jobs.filter((j) => j.members);
    assert.equal(profiles.length, PROFILES.length, 'every profile of mutation-profiles.ts is one run');
    for (const p of profiles) assert.ok(p.members!.length >= 2, `${p.name} has several behaviours`);
  });

  it('runs the same faults, each on the scenarios of what it breaks, and the same baselines', () => {
    const faults = (p: typeof fast) =>
      p.jobs
        .filter(isFault)
        .map((j) => `${j.kind} ${j.name} [${j.policy}] ${JSON.stringify(j.ics)}`)
        .sort();
    assert.deepEqual(faults(fast), faults(full));
    for (const j of fast.jobs.filter(isFault)) {
      assert.equal(j.tags, j.breaks.map((id) => `@req-${id}`).join(' or '), j.label);
      // stopping at the first failure is exact only where any failure of the selection catches it
      assert.equal(j.failFast, j.kind === 'ind-fault' || j.breaks.length === 1, j.label);
    }
    for (const j of full.jobs)
      assert.ok(j.tags === undefined && !j.failFast && !j.members, `${j.label}: the matrix runs it alone on the whole suite`);
    assert.deepEqual(
      fast.baselines.map((b) => b.config),
      full.baselines.map((b) => b.config),
    );
  });
});

describe('profile checks refuse what could hide a false failure', () => {
  it('two variants that both wrap deliver when called; each building on the deliver it is given is fine', () => {
    // a wrapper that reads the seam only when called cannot be told from one that replaces it
    const lazy = (name: string): Variant => ({
      name,
      kind: 'legal',
      breaks: [],
      description: name,
      seams: (d) => ({ deliver: (x, send) => d.deliver(x, send) }),
    });
    const [a, b] = members('extra-ies-everywhere', 'random-report-message-ids');
    assert.ok(a && b);
    assert.match(
      checkProfile(
        'x',
        [
          { ...a, variant: lazy('a') },
          { ...b, variant: lazy('b') },
        ],
        a.ics,
      ).join('\n'),
      /all set the seam deliver/,
    );
    assert.deepEqual(problemsOf('x', ['extra-ies-everywhere', 'random-report-message-ids', 'uuid-client-message-ids']), []);
  });

  it('two variants that replace the device-change steps wholesale; rewriting them from the given ones is fine', () => {
    assert.match(
      problemsOf('x', ['policy-release-first', 'group-policies-right-after-groups']).join('\n'),
      /all set the seam deviceChangeSteps/,
    );
    assert.deepEqual(problemsOf('x', ['E01:group-release-hyphenated-ie', 'E02:policy-release-underscored-ie']), []);
  });

  it('a member whose ICS rules scenarios out, with members it would take them from', () => {
    const p = problemsOf('x', ['uuid-client-ids', 'restores-subset']).join('\n');
    assert.match(p, /uuid-client-ids would lose \d+ scenario/);
    assert.match(p, /judged against an ICS other than its own \(restoredSettings/);
  });

  it('an erratum read leniently for a member that reads every erratum strictly', () => {
    assert.match(
      problemsOf('x', ['uuid-client-ids', 'E01:group-release-hyphenated-ie']).join('\n'),
      /uuid-client-ids reads every erratum strictly, but the profile reads E01 leniently/,
    );
  });

  it('lenient readings that rule scenarios out of another member', () => {
    assert.match(problemsOf('x', ['E17:reference', 'E24:reference']).join('\n'), /E17:reference would lose \d+ scenario/);
  });

  it('members under different policies', () => {
    const a = memberOf(legal.find((j) => j.key === 'uuid-client-ids')!);
    const b = { ...a, key: 'other', policy: 'per-device', ics: referenceIcs('per-device') };
    assert.match(checkProfile('x', [a, b], a.ics).join('\n'), /different policies/);
  });
});

describe('a profile is one server with every member behaviour', () => {
  let dpe: DpeServer | undefined;
  after(() => dpe?.close());

  it('uuid-client-ids+error-detail-wording: UUID Client IDs and the variant wording of errors', async () => {
    dpe = buildVariantProfile('uuid-client-ids+error-detail-wording', { policy: 'per-user-and-device', serviceProviders: [] });
    const url = await dpe.listen(0, '127.0.0.1');
    const ok = await post(url, '/dpe-1', registration(msisdn(), imei(), 'http://127.0.0.1:9/n'));
    assert.equal(ok.status, 200);
    assert.match(String(ok.body?.['Client-ID']), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const bad = await post(url, '/dpe-1', { 'Message-Type': 'DPE_Registration_Request' });
    assert.equal(bad.status, 400);
    assert.equal((bad.body?.Error as Record<string, unknown> | undefined)?.Vendor, 'acme');
  });

  it('freedoms-wire: extra IEs everywhere, UUID client Message-IDs with a charset, random report Message-IDs, all at once', async () => {
    const sink = await new Sink().start();
    const sp = { spId: 'sp-wire', token: 'wire-token-0001', notifyUri: `${sink.url}/sp` };
    const wire = buildVariantProfile('extra-ies-everywhere+random-report-message-ids+uuid-client-message-ids', {
      policy: 'per-user-and-device',
      serviceProviders: [sp],
    });
    try {
      const url = await wire.listen(0, '127.0.0.1');
      const user = msisdn();
      const first = await post(url, '/dpe-1', registration(user, imei(), `${sink.url}/a`));
      assert.ok(first.body?.['X-Vendor-Trace'], 'the registration answer carries an unknown IE');
      const answer = await post(url, '/dpe-2', query(user), { token: sp.token });
      assert.ok(answer.body?.['X-Vendor-Trace'], 'the query answer carries an unknown IE');
      // the SIM moves: releases and sets to the new device, a report to the SP now concerned
      await post(url, '/dpe-1', registration(user, imei(), `${sink.url}/b`));
      const toClient = await sink.waitFor((r) => r.path === '/b', 5_000, 'a message to the new device');
      const report = await sink.waitFor((r) => r.path === '/sp', 5_000, 'the report to the SP');
      assert.match(String(toClient.body['Message-ID']), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.match(String(toClient.headers['content-type']), /; charset=utf-8$/);
      assert.ok(toClient.body['X-Vendor-Trace'], 'a client message carries an unknown IE');
      // a sequence starts at 1; a random ID below a million has a chance of one in a million
      assert.ok(Number.isInteger(report.body['Message-ID']) && Number(report.body['Message-ID']) > 1_000_000, 'a random report Message-ID');
      assert.ok(report.body['X-Vendor-Trace'], 'a report carries an unknown IE');
    } finally {
      await wire.close();
      await sink.stop();
    }
  });
});
