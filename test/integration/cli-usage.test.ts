/**
 * Every usage or configuration mistake ends `dpe-conformance run` with exit code 2 before
 * anything runs: the message says what is wrong and how to fix it, and nothing is written to
 * the reports folder (issue 11, item 2). Each case is the CLI as a user runs it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { DEFAULT_IXIT } from '../../src/config/ixit';
import { freeLoopbackPort } from '../../src/process/loopback-port';
import type { CliRun } from './cli-support';
import { assertRefused, cli, EXAMPLE_ICS, EXAMPLE_IXIT, ROOT, tempDir } from './cli-support';

const exampleIcs = () => JSON.parse(readFileSync(EXAMPLE_ICS, 'utf8')) as Record<string, unknown>;
const exampleIxit = () => JSON.parse(readFileSync(EXAMPLE_IXIT, 'utf8')) as typeof DEFAULT_IXIT;

/** Writes `value` as JSON into a fresh folder (not the reports folder); returns its path. */
function file(name: string, value: unknown): string {
  const f = join(tempDir('dpe-cfg-'), name);
  writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
}

/** Runs `run` with a fresh, empty reports folder and asserts the refusal. */
async function refused(
  args: string[],
  message: RegExp,
  o: { env?: NodeJS.ProcessEnv; fixLine?: boolean; deadlineMs?: number } = {},
): Promise<CliRun> {
  const reports = tempDir('dpe-reports-');
  const r = await cli(['run', ...args, '--reports-dir', reports], { env: o.env, deadlineMs: o.deadlineMs ?? 20_000 });
  assertRefused(r, message, reports, o);
  return r;
}

const closedTarget = async () => `http://127.0.0.1:${await freeLoopbackPort()}`;

describe('tag expressions', { concurrency: 4 }, () => {
  it('an invalid tag expression', async () => {
    await refused(
      ['--tags', '@clause-8.2.2 and (not'],
      /usage error: --tags "@clause-8.2.2 and \(not" is not a tag expression: .*\n {2}fix: write tags with "@"/,
    );
  });

  it('tags that select nothing, with the nearest known tags', async () => {
    await refused(
      ['--tags', '@req-dc.release-group'],
      /selects no scenario: @req-dc.release-group is not a tag of any scenario \(did you mean @req-dc.release-groups\b/,
    );
    await refused(['--tags', '@clause-8.2.9'], /@clause-8.2.9 is not a tag of any scenario \(did you mean @clause-8.2.2 or @clause-8.2.3/);
  });

  it('tags whose scenarios exist but never meet', async () => {
    await refused(
      ['--tags', '@clause-6.1 and @clause-binding and @req-dc.release-groups'],
      /selects none of the \d+ scenarios \(every tag exists/,
    );
  });

  it('tags that select only scenarios the ICS rules out', async () => {
    const ics = file('ics.json', { ...exampleIcs(), serverDrivenRegistration: false });
    await refused(
      ['--ics', ics, '--tags', '@req-reg.server-driven'],
      /selects \d+ scenario\(s\), and the declared ICS rules out every one \(e\.g\. reg\.server-driven/,
    );
  });
});

describe('ICS names', { concurrency: 4 }, () => {
  it('an unknown erratum key in the ICS', async () => {
    const ics = file('ics.json', { ...exampleIcs(), errata: { E24: 'strict', E99: 'lenient' } });
    await refused(['--ics', ics], /usage error: .*ics\.json: errata\.E99 is not an erratum \(did you mean E\d\d/);
  });

  it('an erratum the ICS cannot switch', async () => {
    const ics = file('ics.json', { ...exampleIcs(), errata: { E04: 'strict' } });
    await refused(
      ['--ics', ics],
      /errata\.E04 cannot be switched: the harness has one fixed reading of it\n {2}fix: remove E04 from errata; the ones an ICS may switch are E01, /,
    );
  });

  it('an unknown requirement id in the ICS deviations', async () => {
    const ics = file('ics.json', { ...exampleIcs(), deviations: [{ requirement: 'dc.release-group', reason: 'known bug' }] });
    await refused(
      ['--ics', ics],
      /deviations\[0\]\.requirement "dc.release-group" is not a requirement id \(did you mean dc.release-groups/,
    );
  });

  it('an unknown scenario name in the ICS deviations', async () => {
    const ics = file('ics.json', { ...exampleIcs(), deviations: [{ scenario: 'The SIM moves to another phon', reason: 'known bug' }] });
    await refused(
      ['--ics', ics],
      /deviations\[0\]\.scenario "The SIM moves to another phon" names no scenario \(did you mean The SIM moves to another phone/,
    );
  });
});

describe('IXIT consistency', { concurrency: 4 }, () => {
  it('a provider alias the features use and the IXIT lacks', async () => {
    const ixit = exampleIxit();
    ixit.serviceProviders[1] = { alias: 'radio', spId: 'sp-radio', token: 'radio-token-0003' };
    await refused(
      ['--ixit', file('ixit.json', ixit)],
      /the features use the SP alias "music" \(e\.g\. ".*", features\/.*:\d+\), and serviceProviders has only "maps", "radio"\n {2}fix: add \{ "alias": "music"/,
    );
  });

  it('a duplicated IXIT SP (same alias)', async () => {
    const ixit = exampleIxit();
    const [maps] = ixit.serviceProviders;
    assert.ok(maps, 'the example IXIT has SPs');
    ixit.serviceProviders.push({ ...maps, spId: 'sp-other', token: 'other-token-0009' });
    await refused(['--ixit', file('ixit.json', ixit)], /serviceProviders\[2\] repeats the alias "maps" of serviceProviders\[0\]/);
  });

  it('a duplicated IXIT SP (same spId)', async () => {
    const ixit = exampleIxit();
    const [, second] = ixit.serviceProviders;
    assert.ok(second, 'the example IXIT has two SPs');
    ixit.serviceProviders[1] = { ...second, spId: 'sp-maps' };
    await refused(['--ixit', file('ixit.json', ixit)], /serviceProviders\[1\] repeats the spId "sp-maps" of serviceProviders\[0\]/);
  });

  it('mockPort 0 with SPs configured in the server beforehand (external target)', async () => {
    const ixit = file('ixit.json', { ...exampleIxit(), onboardThroughProvisioning: false, mockPort: 0 });
    // refused before the preflight: the target's closed port is never reported
    const r = await refused(
      ['--target', await closedTarget(), '--ixit', ixit],
      /onboardThroughProvisioning is false .* but mockPort is 0 .*\n {2}fix: set mockPort to the port of the Notify-URIs/,
    );
    assert.doesNotMatch(r.stderr, /ECONNREFUSED/);
  });

  it('--shard that is not k/n with 1 <= k <= n', async () => {
    await refused(['--shard', '0/2'], /usage error: --shard 0\/2: k must be from 1 to 2\n {2}fix: give the shard as k\/n with 1 <= k <= n/);
    await refused(['--shard', '3/2'], /usage error: --shard 3\/2: k must be from 1 to 2\n/);
    await refused(['--shard', 'x'], /usage error: --shard "x" is not of the form k\/n\n {2}fix: give the shard as k\/n/);
    await refused(['--shard', '1/0'], /the number of shards n must be at least 1/);
  });

  it('more shards than applicable scenarios', async () => {
    await refused(
      ['--tags', '@clause-8.2.3', '--shard', '1/10'],
      /--shard 1\/10: the run selects 9 applicable scenario\(s\), fewer than 10 shards, so some shards would run nothing\n {2}fix: use at most 9 shards/,
    );
  });

  it('a mockHost that is not an address of this machine: EADDRNOTAVAIL, one line', async () => {
    // 192.0.2.1 (TEST-NET-1) is never configured here; binding to it fails without any traffic
    const r = await refused(
      ['--ixit', file('ixit.json', { ...exampleIxit(), mockHost: '192.0.2.1' })],
      /the mock network cannot listen on mockHost 192\.0\.2\.1, mockPort 0: EADDRNOTAVAIL \(listen EADDRNOTAVAIL[^\n]*\)\n {2}fix: set mockHost to an address of this machine/,
    );
    assert.doesNotMatch(r.stderr, /BeforeAll/);
  });

  it('a mockPort already in use: EADDRINUSE, one line', async () => {
    const busy = createServer();
    const port = await new Promise<number>((r) => busy.listen(0, '127.0.0.1', () => r((busy.address() as { port: number }).port)));
    try {
      await refused(
        ['--ixit', file('ixit.json', { ...exampleIxit(), mockPort: port })],
        new RegExp(`cannot listen on mockHost 127\\.0\\.0\\.1, mockPort ${port}: EADDRINUSE`),
      );
    } finally {
      busy.close();
    }
  });
});

describe('paths: checked with statSync before opening, never a hang', { concurrency: 4 }, () => {
  it('--ics on a FIFO', async () => {
    const fifo = join(tempDir('dpe-fifo-'), 'ics.json');
    execFileSync('mkfifo', [fifo]);
    // a hang would be killed at the deadline (exit code null), far from exit 2
    await refused(['--ics', fifo], /--ics .*ics\.json is a FIFO \(named pipe\): reading it could block for ever/, { deadlineMs: 30_000 });
  });

  it('--ixit on a /proc file', async () => {
    await refused(['--ixit', '/proc/self/status'], /--ixit \/proc\/self\/status is on the proc pseudo file system, not a JSON file/);
  });

  it('--ics on a character device', async () => {
    await refused(['--ics', '/dev/zero'], /--ics \/dev\/zero is a character device: reading it could block for ever/);
  });

  it('--ics on a directory', async () => {
    await refused(['--ics', tempDir()], /--ics .* is a directory, not a JSON file/);
  });

  it('--ixit on a file that is not there', async () => {
    await refused(['--ixit', '/nonexistent/ixit.json'], /--ixit \/nonexistent\/ixit\.json: no such file/);
  });

  it('--ics on an unreadable file', async () => {
    const dir = tempDir();
    if (process.getuid?.() === 0) {
      // root reads any mode: a symbolic link loop is the unreadable file root also meets
      symlinkSync(join(dir, 'b.json'), join(dir, 'a.json'));
      symlinkSync(join(dir, 'a.json'), join(dir, 'b.json'));
      await refused(['--ics', join(dir, 'a.json')], /--ics .*a\.json: cannot be read \(ELOOP\)/);
    } else {
      const f = join(dir, 'ics.json');
      writeFileSync(f, readFileSync(EXAMPLE_ICS));
      chmodSync(f, 0o000);
      await refused(['--ics', f], /--ics .*ics\.json cannot be read \(EACCES\)\n {2}fix: make it readable/);
    }
  });

  it('--reports-dir on /proc', async () => {
    const r = await cli(['run', '--reports-dir', '/proc/dpe-reports'], 20_000);
    assertRefused(
      r,
      /--reports-dir \/proc\/dpe-reports is on the proc pseudo file system, where reports cannot be written/,
      '/proc/dpe-reports',
    );
  });

  it('--reports-dir on a file, and under a file', async () => {
    const f = join(tempDir(), 'not-a-folder');
    writeFileSync(f, 'x');
    assertRefused(await cli(['run', '--reports-dir', f], 20_000), /--reports-dir .*not-a-folder is a file, not a folder/, tempDir());
    assertRefused(
      await cli(['run', '--reports-dir', join(f, 'reports')], 20_000),
      /--reports-dir .*: .*not-a-folder is a file, not a folder/,
      tempDir(),
    );
  });
});

describe('run folder and targets', { concurrency: 4 }, () => {
  it('a reused --run-id is refused without --force, and the earlier run is untouched', async () => {
    const reports = tempDir('dpe-reports-');
    mkdirSync(join(reports, 'nightly'));
    writeFileSync(join(reports, 'nightly', 'summary.json'), '{"verdict":"pass"}');
    const r = await cli(['run', '--run-id', 'nightly', '--reports-dir', reports], 20_000);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /--run-id nightly: .*nightly already holds the certificate of an earlier run\n {2}fix: choose another --run-id .* or add --force/,
    );
    assert.equal(readFileSync(join(reports, 'nightly', 'summary.json'), 'utf8'), '{"verdict":"pass"}');
  });

  it('a query or credentials in --target', async () => {
    await refused(['--target', 'http://127.0.0.1:7700/dpe/?x=1'], /a base URL has no query or fragment/, { fixLine: false });
    await refused(['--target', 'http://me:secret@127.0.0.1:7700/'], /credentials in the URL would be written into the reports/, {
      fixLine: false,
    });
  });

  it('DPE_TARGET naming a closed port gets the preflight: exit 2, nothing written', async () => {
    const r = await refused([], /environment error: POST http:\/\/127\.0\.0\.1:\d+\/dpe-1: ECONNREFUSED/, {
      env: { DPE_TARGET: await closedTarget() },
      fixLine: false,
    });
    assert.doesNotMatch(r.stderr, /built-in reference server/);
  });

  it('DPE_TARGET naming a closed port for a raw cucumber run (npm run conformance) gets the same preflight', async () => {
    const dir = tempDir('dpe-raw-');
    const messages = join(dir, 'reports', 'messages.ndjson');
    // the project's profiles (cucumber.js runs the preflight as it loads) with one report, in dir
    const config = join(dir, 'cucumber.cjs');
    writeFileSync(
      config,
      `const base = require(${JSON.stringify(join(ROOT, 'cucumber.js'))});\nmodule.exports = { default: { ...base.default, format: ['message:${messages}'] } };\n`,
    );
    const r = await cli([join(ROOT, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '--config', relative(ROOT, config)], {
      command: [process.execPath],
      env: { DPE_TARGET: await closedTarget() },
      // a bound against a hang: cucumber loading the TypeScript sources on a loaded machine is slow
      deadlineMs: 120_000,
    });
    assertRefused(r, /environment error: POST http:\/\/127\.0\.0\.1:\d+\/dpe-1: ECONNREFUSED/, join(dir, 'reports'), { fixLine: false });
    // the target as a world parameter is the same target
    const wp = await cli(
      [
        join(ROOT, 'node_modules/@cucumber/cucumber/bin/cucumber.js'),
        '--config',
        relative(ROOT, config),
        '--world-parameters',
        JSON.stringify({ target: await closedTarget() }),
      ],
      {
        command: [process.execPath],
        // a bound against a hang: cucumber loading the TypeScript sources on a loaded machine is slow
        deadlineMs: 120_000,
      },
    );
    assertRefused(wp, /environment error: POST http:\/\/127\.0\.0\.1:\d+\/dpe-1: ECONNREFUSED/, join(dir, 'reports'), { fixLine: false });
  });

  it('DPE_TARGET with --target-image is a conflict', async () => {
    await refused(['--target-image', 'dpe-reference:local'], /--target-image.*cannot be used with environment variable 'DPE_TARGET'/, {
      env: { DPE_TARGET: 'http://127.0.0.1:9' },
      fixLine: false,
    });
  });

  it('--dry-run checks everything, prints the selection and writes nothing (exit 0)', async () => {
    const reports = tempDir('dpe-reports-');
    const r = await cli(['run', '--dry-run', '--tags', '@clause-8.2.2', '--ics', EXAMPLE_ICS, '--reports-dir', reports], 20_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^features\/device-change\/.*\.feature:\d+ {2}\S/m);
    assert.match(
      r.stderr,
      /dry run: \d+ scenario\(s\) would run against the built-in reference server .*nothing was started, contacted or written/,
    );
    assert.deepEqual(readdirSync(reports), [], 'nothing written');
    // the same mistakes as a run
    await refused(['--dry-run', '--tags', '@clause-9'], /@clause-9 is not a tag of any scenario/);
  });
});
