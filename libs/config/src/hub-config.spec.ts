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

  it('treats empty variables as unset', () => {
    expect(loadHubConfig({ DATABASE_URL: '', REDIS_URL: '' }).database.kind).toBe('embedded');
  });
});
