// Loopback helpers of `npm run bench` (scripts/bench/http-load.ts), plain JavaScript so nothing
// but node:http runs:
//   node scripts/bench/bare-server.js bare  a bare node:http JSON handler: reads the body, parses
//                                           it, answers a registration-sized JSON object
//   node scripts/bench/bare-server.js sink  a Notify-URI sink: answers 204 to every POST and
//                                           counts them; GET /count answers the count
// Each prints "listening on <URL>" on 127.0.0.1 and an ephemeral port.

const http = require('node:http');

const mode = process.argv[2];
if (mode !== 'bare' && mode !== 'sink') {
  console.error('usage: node scripts/bench/bare-server.js bare|sink');
  process.exit(2);
}
let received = 0;
const server = http.createServer((req, res) => {
  if (mode === 'sink' && req.method === 'GET' && req.url === '/count') {
    const text = JSON.stringify({ received });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (mode === 'sink') {
      received++;
      res.writeHead(204).end();
      return;
    }
    const text = JSON.stringify({
      'Message-Type': 'DPE_Registration_Response',
      'Message-ID': body['Message-ID'],
      'Client-ID': 'dpe-bare-0123456789abcdefghij',
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  });
});
// node's default, as the reference server and the mock network keep (src/process/keep-alive.ts): fetch reuses connections
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => console.log(`${mode} listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections());
