#!/usr/bin/env node
// Entry point of the dpe-conformance CLI. In a checkout (src/ holds the TypeScript sources) it
// loads them transpile-only through ts-node (type checking is its own step: npm run typecheck),
// so an edit takes effect without a build; an installed package has only the compiled dist/.

const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
let main;
if (existsSync(path.join(root, 'src', 'cli', 'main.ts'))) {
  process.env.TS_NODE_PROJECT = process.env.TS_NODE_PROJECT || path.join(root, 'tsconfig.json');
  require('ts-node/register/transpile-only');
  ({ main } = require('../src/cli/main.ts'));
} else {
  ({ main } = require('../dist/src/cli/main.js'));
}

main(process.argv).then((code) => {
  process.exitCode = code;
  // a handle left open by the target or a formatter must not hold the verdict back
  setTimeout(() => process.exit(code), 2000).unref();
});
