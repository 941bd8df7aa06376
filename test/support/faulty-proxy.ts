import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyBehaviour = 'refuse' | 'hang' | 'forward';

/**
 * Sits in front of a real hub and misbehaves on purpose: answers 503 with Retry-After, or holds
 * the request without answering, or forwards it. `plan` is consumed one request at a time; when
 * it is empty, `fallback` applies.
 */
export class FaultyProxy {
  readonly seen: ProxyBehaviour[] = [];
  private readonly held = new Set<http.ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly target: URL,
    public plan: ProxyBehaviour[],
    public fallback: ProxyBehaviour,
  ) {}

  static async start(targetUrl: string, plan: ProxyBehaviour[], fallback: ProxyBehaviour = 'forward'): Promise<FaultyProxy> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const proxy = new FaultyProxy(server, `http://127.0.0.1:${port}`, new URL(targetUrl), plan, fallback);
    server.on('request', (req, res) => proxy.handle(req, res));
    return proxy;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const behaviour = this.plan.shift() ?? this.fallback;
    this.seen.push(behaviour);
    if (behaviour === 'refuse') {
      req.resume();
      res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"message":"busy"}');
      return;
    }
    if (behaviour === 'hang') {
      req.resume();
      this.held.add(res);
      return;
    }
    const upstream = http.request(
      { host: this.target.hostname, port: this.target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
