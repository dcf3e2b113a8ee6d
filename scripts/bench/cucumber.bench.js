// Cucumber profiles of `npm run bench` (scripts/bench.ts): the project's own profile (loaders,
// step code, world parameters), with the bench's reports only (DPE_BENCH_OUT), never reports/<profile>.
const project = require('../../cucumber.js');

const base = project['per-user-and-device'];
const out = process.env.DPE_BENCH_OUT || 'reports/bench/tmp';
const format = (name) => ['summary', `message:${out}/${name}.ndjson`];

module.exports = {
  suite: { ...base, format: format('suite') },
  floor: {
    ...base,
    paths: ['test/bench/floor/*.feature'],
    require: [...base.require, 'test/bench/floor/*.ts'],
    format: format('floor'),
  },
  // cucumber-js with its TypeScript loader and the trivial step only: none of the suite's code
  'cucumber-floor': {
    requireModule: base.requireModule,
    paths: ['test/bench/floor/*.feature'],
    require: ['test/bench/floor/*.ts'],
    format: format('cucumber-floor'),
    strict: true,
  },
};
