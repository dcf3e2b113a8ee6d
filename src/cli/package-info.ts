/**
 * What and where this package is: its root folder (a git checkout or an installed tarball),
 * whether it runs compiled (dist/) or from its TypeScript sources, its version and commit.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export const PACKAGE_NAME = 'dpe-conformance';

/** The nearest folder above `from` whose package.json is this package's. */
export function packageRoot(from = __dirname): string {
  for (let d = from; ; d = dirname(d)) {
    const file = join(d, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return d;
    if (dirname(d) === d) throw new Error(`${PACKAGE_NAME}: no package.json of ${PACKAGE_NAME} above ${from}`);
  }
}

/** Compiled code (dist/) loads compiled steps; the TypeScript sources load the .ts steps through ts-node. */
export const COMPILED = __filename.endsWith('.js');

/**
 * Where the cucumber run finds features and step code, relative to the package root. Compiled
 * code loads the steps compiled beside it (dist/steps of a package; the test layers' compiled
 * tree of a checkout, src/harness/compiled-code.ts).
 */
export function suiteCode(root = packageRoot()): { features: string; require: string[]; requireModule: string[] } {
  const compiledSteps = relative(root, join(__dirname, '..', '..', 'steps'))
    .split(sep)
    .join('/');
  return COMPILED
    ? { features: 'features/**/*.feature', require: [`${compiledSteps}/**/*.js`], requireModule: [] }
    : { features: 'features/**/*.feature', require: ['steps/**/*.ts'], requireModule: ['ts-node/register/transpile-only'] };
}

/** Written by scripts/build.ts into dist/ when the package is packed: no git in an installed copy. */
export const BUILD_INFO = 'dist/build-info.json';

export interface BuildInfo {
  version: string;
  /** `git describe --always --dirty` of the checkout, or undefined when unknown. */
  commit?: string;
}

/** The commit of a git checkout at `root` (only its own .git: an installed copy may sit inside someone's repository). */
export function gitCommit(root: string): string | undefined {
  if (!existsSync(join(root, '.git'))) return undefined;
  try {
    return (
      execFileSync('git', ['-C', root, 'describe', '--always', '--dirty', '--abbrev=12'], {
        encoding: 'utf8',
        timeout: 3000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export function buildInfo(root = packageRoot()): BuildInfo {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const live = gitCommit(root);
  if (live) return { version, commit: live };
  const file = join(root, BUILD_INFO);
  if (existsSync(file)) return { version, commit: (JSON.parse(readFileSync(file, 'utf8')) as BuildInfo).commit };
  return { version };
}

/** The line `--version` prints. */
export function versionLine(info = buildInfo()): string {
  return `${PACKAGE_NAME} ${info.version} (${info.commit ? `commit ${info.commit}` : 'commit unknown'}), node ${process.versions.node}`;
}
