/**
 * Builds what the packed package runs (npm run build; npm pack runs it as prepack): the CLI,
 * the step code and the reference server compiled into dist/ with tsconfig.build.json, the
 * ICS and IXIT JSON Schemas as files for editors and other tools, and dist/build-info.json
 * with the commit — an installed copy has no git to ask.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { icsSchema } from '../src/config/ics';
import { ixitSchema } from '../src/config/ixit';
import { buildInfo, BUILD_INFO } from '../src/cli/package-info';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');

// dist/image-* are build-image.sh's; the rest of dist/ is this build's
for (const d of ['src', 'steps', 'mocks', 'schemas', 'build-info.json']) rmSync(join(DIST, d), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });

mkdirSync(join(DIST, 'schemas'), { recursive: true });
writeFileSync(join(DIST, 'schemas', 'ics.schema.json'), `${JSON.stringify(icsSchema, null, 2)}\n`);
writeFileSync(join(DIST, 'schemas', 'ixit.schema.json'), `${JSON.stringify(ixitSchema, null, 2)}\n`);
const info = buildInfo(ROOT);
writeFileSync(join(ROOT, BUILD_INFO), `${JSON.stringify(info, null, 2)}\n`);
console.error(`build: dist/ for ${info.version} (commit ${info.commit ?? 'unknown'})`);
