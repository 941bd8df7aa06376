import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The person the provider signs in at the next /authorize (a real provider would ask them). */
export interface ProviderUser {
  sub: string;
  preferred_username: string;
  name?: string;
  groups: string[];
}

export interface FakeOidcProvider {
  issuer: string;
  nextUser: ProviderUser;
  /** Every token request, with whether its PKCE verifier matched the authorization's S256 challenge. */
  tokenRequests: Array<{ pkce: 'S256-ok' | 'mismatch'; clientAuth: 'basic' | 'post' | 'none' }>;
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * A small OpenID provider on 127.0.0.1 speaking the real protocol shapes: discovery, /authorize
 * (code flow, PKCE S256 required), /token (client_secret_basic or _post), RS256 ID tokens, JWKS.
 */
export async function startFakeOidcProvider(client: { id: string; secret: string; redirectUri: string }): Promise<FakeOidcProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = b64url(randomBytes(8));
  const codes = new Map<string, { challenge: string; nonce?: string; user: ProviderUser; redirectUri: string }>();
  const provider: FakeOidcProvider = {
    issuer: '',
    nextUser: { sub: 'u-1', preferred_username: 'user1', groups: [] },
    tokenRequests: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const idToken = (user: ProviderUser, nonce: string | undefined) => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const payload = b64url(JSON.stringify({ iss: provider.issuer, aud: client.id, iat: now, exp: now + 300, nonce, ...user }));
    return `${header}.${payload}.${b64url(sign('sha256', Buffer.from(`${header}.${payload}`), privateKey))}`;
  };
  const body = (req: IncomingMessage) =>
    new Promise<URLSearchParams>((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(new URLSearchParams(data)));
    });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', provider.issuer);
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: provider.issuer,
        authorization_endpoint: `${provider.issuer}/authorize`,
        token_endpoint: `${provider.issuer}/token`,
        jwks_uri: `${provider.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        scopes_supported: ['openid', 'profile', 'email'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/jwks') {
      return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
    }
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== client.id || q.get('redirect_uri') !== client.redirectUri || q.get('response_type') !== 'code') {
        return json(res, 400, { error: 'invalid_request' });
      }
      if (!q.get('scope')?.split(' ').includes('openid') || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        return json(res, 400, { error: 'invalid_request', error_description: 'openid scope and PKCE S256 required' });
      }
      const code = b64url(randomBytes(16));
      codes.set(code, { challenge: q.get('code_challenge')!, nonce: q.get('nonce') ?? undefined, user: provider.nextUser, redirectUri: client.redirectUri });
      const back = new URL(client.redirectUri);
      back.searchParams.set('code', code);
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const form = await body(req);
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [id, secret] = basic
        ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
        : [form.get('client_id'), form.get('client_secret')];
      const clientAuth = basic ? 'basic' : form.get('client_secret') ? 'post' : 'none';
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const pkce = grant && b64url(createHash('sha256').update(verifier).digest()) === grant.challenge ? 'S256-ok' : 'mismatch';
      provider.tokenRequests.push({ pkce, clientAuth });
      if (id !== client.id || secret !== client.secret) return json(res, 401, { error: 'invalid_client' });
      if (!grant || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== grant.redirectUri || pkce !== 'S256-ok') {
        return json(res, 400, { error: 'invalid_grant' });
      }
      return json(res, 200, { access_token: b64url(randomBytes(16)), token_type: 'Bearer', expires_in: 300, id_token: idToken(grant.user, grant.nonce) });
    }
    json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return provider;
}
