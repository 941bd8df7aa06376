import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AgentConfig } from '../config/agent-config';

/** How to reach the hub: every request to it (delivery, erasure) goes out with these settings. */
export interface HubConnection {
  hubUrl: string;
  token?: string;
  /** PEM CA bundle for a private hub CA. */
  ca?: string;
  timeoutMs: number;
}

/** Undefined with the FILE protocol: there is no hub to talk to. */
export function hubConnection(config: AgentConfig): HubConnection | undefined {
  const p = config.protocol;
  if (p.type !== 'HTTP') return undefined;
  return { hubUrl: p.hub_url, token: p.token, ca: p.ca_file ? readFileSync(p.ca_file, 'utf8') : undefined, timeoutMs: config.http_timeout };
}

/** A route under the hub URL, which may carry a path prefix (a hub behind a reverse proxy). */
export function hubEndpoint(hubUrl: string, route: string): URL {
  return new URL(route.replace(/^\//, ''), hubUrl.endsWith('/') ? hubUrl : `${hubUrl}/`);
}

export interface HubResponse {
  status: number;
  body: string;
}

/** Answers are small JSON documents; anything longer is cut rather than buffered without bound. */
const MAX_BODY_BYTES = 64 * 1024;

/** One bodiless request; rejects on network errors and when no answer comes within the timeout. */
export function hubRequest(conn: HubConnection, method: string, endpoint: URL, headers: http.OutgoingHttpHeaders): Promise<HubResponse> {
  const transport = endpoint.protocol === 'https:' ? https : http;
  return new Promise<HubResponse>((resolve, reject) => {
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    const req = transport.request(endpoint, { method, headers, ...(conn.ca ? { ca: conn.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY_BYTES) chunks.push(c.subarray(0, MAX_BODY_BYTES - size));
        size += c.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no response within ${conn.timeoutMs} ms`)), conn.timeoutMs);
    req.on('error', fail);
    req.end();
  });
}
