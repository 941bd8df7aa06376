import type { DataSourceOptions } from 'typeorm';
import { HUB_ENTITIES } from './entities';
import { HUB_MIGRATIONS } from './migrations';

/** One place that turns a URL into TypeORM options, shared by the hub, the CLI and tests. */
export function hubDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: HUB_ENTITIES,
    migrations: HUB_MIGRATIONS,
    migrationsTableName: 'hub_migrations',
    synchronize: false,
    // gen_random_uuid() is built in since PG13; uuid-ossp is missing in PGlite.
    uuidExtension: 'pgcrypto',
    // JIT pays off for long analytic scans; the hub's reads are short, and in the bench an aggregate
    // over one large candidate spent 40 ms to 1 s compiling.
    extra: { max: poolSize, options: '-c jit=off' },
  };
}
