// Cucumber profiles. The default runs the suite against the embedded reference server
// (started in-process on an ephemeral loopback port) through the binding.
// Others: `npm run conformance -- -p <name>`; an external target: DPE_TARGET=<url> (see README).
const formats = (dir) => [
  // the progress bar needs a terminal; CI logs get the plain progress line
  process.stdout.isTTY ? 'progress-bar' : 'progress',
  `html:reports/${dir}/cucumber-report.html`,
  `json:reports/${dir}/cucumber-report.json`,
  `junit:reports/${dir}/cucumber-report.xml`,
  `message:reports/${dir}/cucumber-messages.ndjson`,
];

const common = {
  paths: ['features/**/*.feature'],
  requireModule: ['ts-node/register/transpile-only'],
  require: ['steps/**/*.ts'],
  formatOptions: { junit: { suiteName: 'dpe-conformance' } },
  strict: true,
};

module.exports = {
  default: { ...common, format: formats('latest'), worldParameters: { policy: 'per-user-and-device' } },
  'per-registration': { ...common, format: formats('per-registration'), worldParameters: { policy: 'per-registration' } },
  'per-user-and-device': { ...common, format: formats('per-user-and-device'), worldParameters: { policy: 'per-user-and-device' } },
  'per-device': { ...common, format: formats('per-device'), worldParameters: { policy: 'per-device' } },
};
