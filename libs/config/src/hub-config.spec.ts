import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadHubConfig } from './hub-config';

describe('loadHubConfig', () => {
  it('defaults to the embedded database and the in-process queue', () => {
    const config = loadHubConfig({});
    expect(config.database).toEqual({ kind: 'embedded', dataDir: 'var' });
    expect(config.queue).toEqual({ kind: 'inline' });
    expect(config.search).toEqual({ backend: 'postgres' });
  });

  it('uses PostgreSQL and Bull when configured', () => {
    const config = loadHubConfig({ DATABASE_URL: 'postgres://u@db:5432/hub', REDIS_URL: 'redis://r:6379', DB_POOL_SIZE: '7' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/hub', poolSize: 7 });
    expect(config.queue).toEqual({ kind: 'bull', redisUrl: 'redis://r:6379', prefix: 'hub' });
  });

  it('names every bad variable', () => {
    expect(() => loadHubConfig({ PORT: 'eighty', HUB_ROLE: 'boss' })).toThrow(ConfigError);
    expect(() => loadHubConfig({ PORT: 'eighty', HUB_ROLE: 'boss' })).toThrow(/PORT: .*; HUB_ROLE: /);
    expect(() => loadHubConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });

  it('requires ELASTICSEARCH_URL for the Elasticsearch backend', () => {
    expect(() => loadHubConfig({ SEARCH_BACKEND: 'elasticsearch' })).toThrow(/ELASTICSEARCH_URL: required/);
    expect(loadHubConfig({ SEARCH_BACKEND: 'elasticsearch', ELASTICSEARCH_URL: 'http://es:9200' }).search).toEqual({
      backend: 'elasticsearch',
      url: 'http://es:9200',
      index: 'hub-candidates',
    });
  });

  it('retraces only with DEBUGINFO_DIRS, and stops at start when a tree or addr2line is missing', () => {
    expect(loadHubConfig({}).debuginfo).toBeNull();
    const a = mkdtempSync(join(tmpdir(), 'debuginfo-a-'));
    const b = mkdtempSync(join(tmpdir(), 'debuginfo-b-'));
    const config = loadHubConfig({ DEBUGINFO_DIRS: `${a}:${b}` });
    expect(config.debuginfo?.dirs).toEqual([a, b]);
    expect(config.debuginfo?.addr2line).toMatch(/\/addr2line$/);
    expect(() => loadHubConfig({ DEBUGINFO_DIRS: a, PATH: '/nonexistent' })).toThrow(/DEBUGINFO_DIRS: retracing needs addr2line/);
    expect(() => loadHubConfig({ DEBUGINFO_DIRS: join(a, 'missing') })).toThrow(/DEBUGINFO_DIRS: .*missing is not an absolute path to a directory/);
    expect(() => loadHubConfig({ DEBUGINFO_DIRS: 'relative/tree' })).toThrow(/DEBUGINFO_DIRS/);
  });

  it('treats empty variables as unset', () => {
    expect(loadHubConfig({ DATABASE_URL: '', REDIS_URL: '' }).database.kind).toBe('embedded');
  });

  it('access: ingestion open unless keys-only or an INGEST_TOKEN is set; sessions in minutes and hours', () => {
    expect(loadHubConfig({}).access).toMatchObject({ ingestMode: 'open', bootstrapAdmin: true, session: { idleMs: 3_600_000, maxMs: 43_200_000, secureCookie: 'auto' } });
    expect(loadHubConfig({ INGEST_MODE: 'keys' }).access.ingestMode).toBe('keys');
    expect(loadHubConfig({ INGEST_TOKEN: 'legacy' }).access.ingestMode).toBe('keys');
    expect(loadHubConfig({ COOKIE_SECURE: 'true' }).access.session.secureCookie).toBe(true);
    expect(() => loadHubConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('OIDC: needs its client settings and a role map of known roles', () => {
    const base = { OIDC_ISSUER: 'https://id.example', OIDC_CLIENT_ID: 'hub', OIDC_CLIENT_SECRET: 's', OIDC_REDIRECT_URL: 'https://hub.example/sign-in/oidc/callback' };
    expect(loadHubConfig({}).access.oidc).toBeUndefined();
    expect(() => loadHubConfig({ OIDC_ISSUER: 'https://id.example' })).toThrow(/OIDC_CLIENT_ID: required/);
    expect(() => loadHubConfig({ ...base, OIDC_ROLE_MAP: '{"a":"emperor"}' })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => loadHubConfig({ ...base, OIDC_ROLE_MAP: 'not json' })).toThrow(/OIDC_ROLE_MAP: not JSON/);
    expect(loadHubConfig({ ...base, OIDC_ROLE_MAP: '{"qa-team":"qa"}' }).access.oidc).toMatchObject({ roleClaim: 'groups', roleMap: { 'qa-team': 'qa' } });
  });
});
