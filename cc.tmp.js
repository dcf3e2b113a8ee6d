const base = require('/work/wt-speed-tests/cucumber.js');
module.exports = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, { ...v, format: [], requireModule: [], require: ['/work/wt-speed-tests/node_modules/.cache/dpe-conformance/compiled-bd29e396915d9dc5/dist/steps/**/*.js'] }]));
