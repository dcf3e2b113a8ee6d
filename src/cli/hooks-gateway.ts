/**
 * A loopback gateway in front of a target whose test hooks (POST /provisioning/*) need a bearer
 * token (the reference server's admin token, docs/security.md): it forwards every request and
 * answer unchanged, streaming both ways, and adds "Authorization: Bearer <token>" to requests for
 * the hooks only. The harness itself never holds the token; `dpe-conformance run --hooks-token`
 * puts this gateway between the suite and the target.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HooksGateway {
  /** Base URL the suite targets instead of the real one. */
  url: string;
  close(): Promise<void>;
}

export async function startHooksGateway(targetUrl: string, token: string): Promise<HooksGateway> {
  const target = new URL(targetUrl);
  const base = target.pathname.replace(/\/$/, '');
  const sockets = new Set<Socket>();
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const headers = { ...req.headers, host: target.host };
    if (path.startsWith('/provisioning/')) headers.authorization = `Bearer ${token}`;
    const up = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: base + path, headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    // the target may answer before it has read the body (413) and close: relay the answer, drop the rest.
    // `on`, not `once`: a request destroyed while the body is still piped into it errs again, and an
    // error without a listener would end the whole run (connections to the target are reused now)
    up.on('error', () => (res.headersSent ? res.destroy() : req.socket.destroy()));
    req.pipe(up);
    req.on('error', () => up.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
