// A real HTTP report endpoint for the tests: stores reports by idempotency key, answers statuses, can be slow.
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

export interface ReportServer {
  url: string;
  /** Every POST body, in arrival order (duplicates included). */
  requests: Array<{ key: string; body: string }>;
  /** Stored reports by idempotency key (a resend with the same key is not stored twice). */
  stored: Map<string, string>;
  statuses: Map<string, 'open' | 'resolved'>;
  /** Milliseconds to wait before answering a POST (after recording it). */
  delayMs: number;
  /** TCP connections accepted: any byte that reached the endpoint came through one of them. */
  connections: number;
  close(): Promise<void>;
}

export async function startReportServer(port = 0): Promise<ReportServer> {
  const state = {
    requests: [] as Array<{ key: string; body: string }>,
    stored: new Map<string, string>(),
    statuses: new Map<string, 'open' | 'resolved'>(),
    delayMs: 0,
    connections: 0,
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.method === 'POST') {
        const key = String(req.headers['idempotency-key'] ?? '');
        state.requests.push({ key, body });
        const duplicate = state.stored.has(key);
        if (!duplicate) state.stored.set(key, body);
        setTimeout(() => {
          res.writeHead(duplicate ? 409 : 201).end();
        }, state.delayMs);
        return;
      }
      const id = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
      const status = state.statuses.get(id);
      if (!status) return void res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status, note: status === 'resolved' ? 'fixed in 1.2.3' : undefined }));
    });
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/reports`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  });
}

/** An endpoint that accepts TCP connections and never answers (a hung relay, a black-holing proxy). */
export async function startSilentServer(): Promise<{ url: string; connections: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const state = {
    url: '',
    connections: 0,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/reports`;
  return state;
}
