// Cucumber profiles. The default runs the suite against the embedded reference server
// (started in-process on an ephemeral loopback port) through the binding.
// Others: `npm run conformance -- -p <name>`; an external target: DPE_TARGET=<url> (see README).
const common = {
  paths: ['features/**/*.feature'],
  requireModule: ['ts-node/register/transpile-only'],
  require: ['steps/**/*.ts'],
  format: [
    'progress-bar',
    'html:reports/cucumber-report.html',
    'json:reports/cucumber-report.json',
    'junit:reports/cucumber-report.xml',
    'message:reports/cucumber-messages.ndjson',
  ],
  formatOptions: { junit: { suiteName: 'dpe-conformance' } },
  strict: true,
};

module.exports = {
  default: { ...common, worldParameters: { policy: 'per-user-and-device' } },
  'per-registration': { ...common, worldParameters: { policy: 'per-registration' } },
  'per-user-and-device': { ...common, worldParameters: { policy: 'per-user-and-device' } },
  'per-device': { ...common, worldParameters: { policy: 'per-device' } },
};
