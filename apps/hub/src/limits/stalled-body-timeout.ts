import type { IncomingMessage, Server } from 'node:http';

/**
 * Cuts a connection whose request body stops arriving for `idleMs`. Only while the body is being
 * received: a request the hub is still working on (a large archive on the worker pool) is not
 * the client's stall, and the connection's own idle timer would wrongly cut it.
 */
export function cutStalledBodies(server: Server, idleMs: number): void {
  if (idleMs <= 0) return;
  server.on('request', (req: IncomingMessage) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return;
    // Without a 'timeout' listener of its own, Node's server destroys the socket when this fires.
    req.socket.setTimeout(idleMs);
    req.once('end', () => req.socket.setTimeout(0));
  });
}
