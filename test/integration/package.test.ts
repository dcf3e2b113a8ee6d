/**
 * The packed package works from an empty folder (issue 11, item 1): npm pack, install the
 * tarball with its runtime dependencies only, then `npx dpe-conformance --version`, `list`
 * and a certification run against the reference server — the package's own compiled server,
 * started as a separate process. Every step is bounded in time. Needs the npm registry (for
 * the dependencies; npm's cache serves what `npm ci` fetched) and loopback only otherwise.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ListeningProcess } from '../../src/process/listening-process';
import { startListening } from '../../src/process/listening-process';
import type { CliRun } from './cli-support';
import { cli, ROOT, tempDir } from './cli-support';

const PACK_TIMEOUT_MS = 120_000;
const INSTALL_TIMEOUT_MS = 240_000;

/** npm's own variables from `npm run` must not steer the child npm (prefix, omit, workspaces...). */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && !k.startsWith('DPE_')));

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd, env: cleanEnv(), timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      done({ code, out: `${stdout}${stderr}` });
    });
  });
}

/** The admin token of the installed reference server's test hooks (off unless switched on: docs/security.md). */
const ADMIN_TOKEN = `admin-${process.pid}-${Date.now()}`;

/** The installed package's reference server on an ephemeral port. */
function startInstalledServer(app: string): Promise<ListeningProcess> {
  const main = join(app, 'node_modules', 'dpe-conformance', 'dist', 'src', 'server', 'main.js');
  const args = [main, '--host', '127.0.0.1', '--port', '0', '--test-hooks', '--admin-token', ADMIN_TOKEN];
  return startListening({ name: 'the installed reference server', args, cwd: app, baseEnv: cleanEnv(), deadlineMs: 15_000 });
}

describe('the packed package, installed into an empty folder', { timeout: PACK_TIMEOUT_MS + INSTALL_TIMEOUT_MS + 180_000 }, () => {
  const work = tempDir('dpe-pack-');
  const app = join(work, 'app');
  let server: ListeningProcess | undefined;
  const npx = (args: string[], deadlineMs = 60_000): Promise<CliRun> =>
    cli(args, { cwd: app, deadlineMs, command: ['npx', 'dpe-conformance'], env: { npm_config_yes: 'false' } });

  before(async () => {
    // npm pack rebuilds dist/ (prepack): hold the lock scripts/build-image.sh holds while it packs the harness image
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    const pack = await run(
      'flock',
      ['-w', '300', join(ROOT, 'dist', '.build-image.lock'), 'npm', 'pack', '--pack-destination', work],
      ROOT,
      PACK_TIMEOUT_MS,
    );
    assert.equal(pack.code, 0, `npm pack failed:\n${pack.out}`);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, `npm pack wrote no tarball:\n${pack.out}`);
    mkdirSync(app);
    const install = await run(
      'npm',
      ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock', join(work, tarball)],
      app,
      INSTALL_TIMEOUT_MS,
    );
    assert.equal(install.code, 0, `npm install of the tarball failed:\n${install.out}`);
  });
  after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('ships compiled code, features and schemas, and no TypeScript or dev tools', () => {
    const pkg = join(app, 'node_modules', 'dpe-conformance');
    for (const f of [
      'dist/src/cli/main.js',
      'dist/steps/support/hooks.js',
      'dist/schemas/ics.schema.json',
      'dist/schemas/ixit.schema.json',
      'dist/build-info.json',
      'docs/examples/ics.json',
    ]) {
      assert.ok(existsSync(join(pkg, f)), `the package has ${f}`);
    }
    assert.ok(readdirSync(join(pkg, 'features')).length > 0, 'the package has features/');
    assert.ok(!existsSync(join(pkg, 'src')), 'no TypeScript sources');
    for (const dev of ['typescript', 'ts-node', 'msw', 'nock', 'supertest'])
      assert.ok(!existsSync(join(app, 'node_modules', dev)), `${dev} is not installed`);
    assert.equal(JSON.parse(readFileSync(join(pkg, 'dist/schemas/ics.schema.json'), 'utf8')).title, 'DPE conformance ICS');
  });

  it('npx dpe-conformance --version prints the version and the commit it was packed from', async () => {
    const r = await npx(['--version']);
    assert.equal(r.code, 0, r.stderr);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.match(r.stdout, new RegExp(`^dpe-conformance ${version.replace(/\./g, '\\.')} \\(commit [0-9a-f]{7,}(-dirty)?\\), node `));
  });

  it('npx dpe-conformance list prints every scenario with its requirements, clause and selection', async () => {
    const r = await npx(['list', '--ics', 'node_modules/dpe-conformance/docs/examples/ics.json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^selected {4} {2}features\/\S+\.feature:\d+ {2}\S/m);
    assert.match(r.stdout, /clause 8\.2\.2; requirements dc\.\S+ \((CR text|derived), (fails|warns)\)/);
    assert.match(
      r.stdout,
      /^\d+ scenarios; \d+ selected by node_modules\/dpe-conformance\/docs\/examples\/ics\.json and the built-in server's default IXIT, \d+ not applicable to it$/m,
    );
  });

  it('npx dpe-conformance run --target <the reference server as a separate process> certifies it', async () => {
    server = await startInstalledServer(app);
    const ex = 'node_modules/dpe-conformance/docs/examples';
    const r = await npx(
      [
        'run',
        '--target',
        server.url,
        '--hooks-token',
        ADMIN_TOKEN,
        '--ics',
        `${ex}/ics.json`,
        '--ixit',
        `${ex}/ixit.json`,
        '--run-id',
        'from-tarball',
      ],
      120_000,
    );
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout.slice(-2000)}`);
    assert.match(r.stderr, /PASS — certification pass \(exit code 0\)/);
    const summary = JSON.parse(readFileSync(join(app, 'reports', 'from-tarball', 'summary.json'), 'utf8')) as {
      certified: boolean;
      target: string;
    };
    assert.deepEqual([summary.certified, summary.target], [true, server.url]);
  });
});
