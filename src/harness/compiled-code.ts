/**
 * The checkout's code compiled once to JavaScript, for the processes the test layers start by the
 * hundred (suite runs of the mutation score and the hostile targets, CLI runs, the independent
 * server): loading ts-node and transpiling every module again costs each of them CPU, more than
 * most of their runs. TypeScript's transpileModule with tsconfig.json's options, done once: the
 * transpiler of the packed package (ts-node in a checkout uses swc, decision 0013, so the test
 * layers run the output of both).
 *
 * The tree is named after a digest of every input (sources, bin/, tsconfig.json, the TypeScript
 * version), so it is never stale: an edit gives a new digest and a new tree. It is written
 * beside the others and renamed into place, so processes compiling at once never see half a tree.
 * Layout, that of the packed package (bin/ next to dist/): <tree>/bin/dpe-conformance.js,
 * <tree>/dist/{src,steps,mocks,test/independent}/…js. It lives under node_modules/.cache of the
 * checkout, so the compiled code finds the checkout's package.json, features/ and node_modules.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
/** Source folders compiled into <tree>/dist (test/independent: the independent server the mutation run starts). */
const SOURCES = ['src', 'steps', 'mocks', 'test/independent'];
const CACHE = join('node_modules', '.cache', 'dpe-conformance');
/** Trees of earlier digests older than this are removed when a new one is written. */
const KEEP_OLD_MS = 24 * 3600_000;

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ts|cjs|json)$/.test(e.name) && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

interface Input {
  /** Relative to the checkout. */
  path: string;
  text: string;
}

function inputs(root: string): Input[] {
  const files = SOURCES.flatMap((d) => walk(join(root, d)));
  files.push(join(root, 'bin', 'dpe-conformance.js'), join(root, 'tsconfig.json'));
  return files.sort().map((f) => ({ path: relative(root, f), text: readFileSync(f, 'utf8') }));
}

/** Per process: one run of the test layers uses one version of the code, whatever is edited meanwhile. */
const trees = new Map<string, string>();

/** The compiled tree of the checkout at `root`, compiled now unless a tree of the same inputs exists. */
export function compiledTree(root = ROOT): string {
  const known = trees.get(root);
  if (known && existsSync(join(known, '.complete'))) return known;
  const tree = compile(root);
  trees.set(root, tree);
  return tree;
}

function compile(root: string): string {
  const files = inputs(root);
  // TypeScript is a devDependency: needed only here, in a checkout
  const ts = require('typescript') as typeof import('typescript');
  const digest = createHash('sha256').update(ts.version);
  for (const f of files) digest.update(`\0${f.path}\0${f.text}`);
  const cache = join(root, CACHE);
  const tree = join(cache, `compiled-${digest.digest('hex').slice(0, 16)}`);
  if (existsSync(join(tree, '.complete'))) return tree;

  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  if (config.error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(config.error.messageText, '\n')}`);
  const { options } = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, root);
  const compilerOptions = { ...options, noEmit: false, sourceMap: false, declaration: false };
  const tmp = join(cache, `.tmp-${process.pid}-${Date.now()}`);
  for (const f of files) {
    if (f.path === 'tsconfig.json') continue;
    const out = f.path.startsWith('bin/') ? join(tmp, f.path) : join(tmp, 'dist', f.path);
    mkdirSync(dirname(out), { recursive: true });
    if (!f.path.endsWith('.ts')) {
      copyFileSync(join(root, f.path), out);
      continue;
    }
    const r = ts.transpileModule(f.text, { compilerOptions, fileName: join(root, f.path), reportDiagnostics: true });
    const bad = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (bad.length) throw new Error(`${f.path}: ${bad.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
    writeFileSync(out.replace(/\.ts$/, '.js'), r.outputText);
  }
  writeFileSync(join(tmp, '.complete'), `${files.length} files\n`);
  try {
    renameSync(tmp, tree);
  } catch {
    // another process put the same tree in place first: use it
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(tree, '.complete'))) throw new Error(`could not put the compiled tree in place at ${tree}`);
  }
  for (const e of readdirSync(cache)) {
    const p = join(cache, e);
    if (p !== tree && (e.startsWith('compiled-') || e.startsWith('.tmp-')) && Date.now() - statSync(p).mtimeMs > KEEP_OLD_MS)
      rmSync(p, { recursive: true, force: true });
  }
  return tree;
}

if (require.main === module) {
  const t0 = Date.now();
  const tree = compiledTree();
  process.stderr.write(`compiled-code: ${relative(process.cwd(), tree)} (${Date.now() - t0} ms)\n`);
}
