import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadHubConfig } from '../../../libs/config/src';
import { startHub } from './hub-application';

/** Queue-worker entrypoint: no HTTP server, processes jobs only. */
async function main(): Promise<void> {
  const config = loadHubConfig();
  await startHub(config, { api: false, worker: true });
  new Logger('Hub').log(`worker started (database: ${config.database.kind}, queue: ${config.queue.kind})`);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
