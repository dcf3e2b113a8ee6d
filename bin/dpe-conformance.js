#!/usr/bin/env node
// Entry point of the dpe-conformance CLI: the sources are TypeScript, loaded transpile-only
// (type checking is its own step: npm run typecheck) with the package's own tsconfig,
// whatever the directory the command is run from.
'use strict';
const path = require('node:path');

process.env.TS_NODE_PROJECT = process.env.TS_NODE_PROJECT || path.join(__dirname, '..', 'tsconfig.json');
require('ts-node/register/transpile-only');
const { main } = require('../src/cli/main.ts');

main(process.argv).then((code) => {
  process.exitCode = code;
  // a handle left open by the target or a formatter must not hold the verdict back
  setTimeout(() => process.exit(code), 2000).unref();
});
