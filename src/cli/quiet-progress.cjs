// cucumber loads formatters with import(), which does not see ts-node's require hook: from the
// TypeScript sources this CommonJS shim loads the formatter through require (compiled code
// points cucumber at dist/src/cli/quiet-progress.js directly).
module.exports = require('./quiet-progress.ts');
