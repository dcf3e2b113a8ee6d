// cucumber loads formatters with import(), which does not see ts-node's require hook: this
// CommonJS shim loads the formatter through require (see src/cli/quiet-progress.cjs). With
// --parallel the coordinator loads no support code, so the hook may not be there yet.
if (!require.extensions['.ts']) require('ts-node/register/transpile-only');
module.exports = require('./report-formatter.ts');
