import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadHubConfig } from '../../../libs/config/src';
import { startHub } from './hub-application';

/** HTTP entrypoint; HUB_ROLE=all (default) also runs the worker in this process. */
async function main(): Promise<void> {
  const config = loadHubConfig();
  const roles = { api: config.role !== 'worker', worker: config.role !== 'api' };
  const hub = await startHub(config, roles);
  new Logger('Hub').log(`hub listening on ${hub.url} (roles: ${config.role}, database: ${config.database.kind}, queue: ${config.queue.kind})`);
}

main().catch((error) => {
  // A bad variable is named by ConfigError; print it plainly and fail fast.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
