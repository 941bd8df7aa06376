import { DataSource } from 'typeorm';
import { hubDataSourceOptions } from './database-options';

/** For the TypeORM CLI (`npm run migration:generate`); the hub builds its own from config. */
export default new DataSource(
  hubDataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 2),
);
