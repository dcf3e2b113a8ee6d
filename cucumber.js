// Cucumber profiles. The default runs the suite against the embedded reference server
// (started in-process on an ephemeral loopback port) through the binding.
// Others: `npm run conformance -- -p <name>`; an external target: DPE_TARGET=<url> (see README).

// An external target named by DPE_TARGET (or the world parameter target) gets the CLI's preflight (with its ICS and IXIT checks)
// before cucumber loads anything: a mistake is exit 2 with the fix, not a run of failed scenarios.
// DPE_PREFLIGHT=passed: the CLI did it already; =skip: the harness's own child runs
// (src/harness/suite-process.ts), whose hostile targets must be reached whatever they answer.
const worldParameters = (() => {
  const i = process.argv.findIndex((a) => a === '--world-parameters' || a.startsWith('--world-parameters='));
  const text = i < 0 ? '{}' : process.argv[i].includes('=') ? process.argv[i].slice(process.argv[i].indexOf('=') + 1) : process.argv[i + 1];
  try {
    return JSON.parse(text);
  } catch {
    return {}; // cucumber itself reports malformed JSON
  }
})();
/** The number given to an option on the command line (undefined: not given). */
function argValue(name) {
  const i = process.argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const n = Number(process.argv[i].includes('=') ? process.argv[i].slice(name.length + 1) : process.argv[i + 1]);
  return Number.isInteger(n) ? n : undefined;
}
const externalTarget = process.env.DPE_TARGET || worldParameters.target;
if (externalTarget && !['passed', 'skip'].includes(process.env.DPE_PREFLIGHT ?? '')) {
  const { spawnSync } = require('node:child_process');
  const named = (flag, env, key) => (process.env[env] || worldParameters[key] ? [flag, process.env[env] || worldParameters[key]] : []);
  const args = ['preflight', '--target', externalTarget, ...named('--ics', 'DPE_ICS', 'ics'), ...named('--ixit', 'DPE_IXIT', 'ixit')];
  const r = spawnSync(process.execPath, [require('node:path').join(__dirname, 'bin', 'dpe-conformance.js'), ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(2);
  process.env.DPE_PREFLIGHT = 'passed';
}
// cucumber's HTML report comes from src/report/report-formatter: the same page with the run's
// verdict on top, and the certificate (summary.md, summary.json) and index.html beside it
const formats = (dir) => [
  // the progress bar needs a terminal; CI logs get the plain progress line
  process.stdout.isTTY ? 'progress-bar' : 'progress',
  ['./src/report/report-formatter.cjs', `reports/${dir}/cucumber-report.html`],
  `json:reports/${dir}/cucumber-report.json`,
  `junit:reports/${dir}/cucumber-report.xml`,
  `message:reports/${dir}/cucumber-messages.ndjson`,
];

const common = {
  paths: ['features/**/*.feature'],
  requireModule: ['ts-node/register/transpile-only'],
  require: ['steps/**/*.ts'],
  // a fixed mockPort gets one mock-network router for every worker (src/cli/router-plugin.ts)
  plugin: [require('node:url').pathToFileURL(require('node:path').join(__dirname, 'src/cli/router-plugin.cjs')).href],
  pluginOptions: { dpe: { worldParameters, parallel: argValue('--parallel') } },
  strict: true,
};

/** A profile: its reports folder and the world parameters the steps and the verdict report read. */
const profile = (dir, policy) => {
  const parameters = { policy, ...worldParameters };
  return {
    ...common,
    format: formats(dir),
    formatOptions: { junit: { suiteName: 'dpe-conformance' }, dpeReport: { worldParameters: parameters } },
    worldParameters: { policy },
  };
};

module.exports = {
  default: profile('latest', 'per-user-and-device'),
  'per-registration': profile('per-registration', 'per-registration'),
  'per-user-and-device': profile('per-user-and-device', 'per-user-and-device'),
  'per-device': profile('per-device', 'per-device'),
};
