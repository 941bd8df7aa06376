import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  /** pglite-socket multiplexes every client onto one backend; the pool must not exceed it. */
  maxConnections: number;
  stop(): Promise<void>;
}

/**
 * Starts PGlite behind a loopback socket so TypeORM's `pg` driver talks to it like to PostgreSQL.
 * Single process only: API and worker share it by running in the same process.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dir.startsWith('memory://') ? dir : join(dir));
  const maxConnections = 4;
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections });
  await server.start();
  const conn = server.getServerConn();
  return {
    url: `postgres://postgres@${conn}/postgres`,
    maxConnections,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
