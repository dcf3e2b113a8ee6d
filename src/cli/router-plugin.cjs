// cucumber loads plugins with import(), which does not see ts-node's require hook: from the
// TypeScript sources this CommonJS shim loads the plugin through require, registering ts-node
// first when the run has not yet (plain cucumber-js loads its requireModule after plugins;
// compiled code points cucumber at dist/src/cli/router-plugin.js directly).
if (!process[Symbol.for('ts-node.register.instance')]) require('ts-node/register/transpile-only');
module.exports = require('./router-plugin.ts');
