import 'reflect-metadata';
import { ConfigError, loadHubConfig } from '../../../libs/config/src';
import { ReprocessService } from './grouping/reprocess.service';
import { startHub } from './hub-application';

/**
 * `npm run reprocess`: regroups every stored crash after normalization data changed, keeping QA's
 * merge and split rules; prints what changed (a second run prints zeros). No HTTP, no job consumers.
 */
async function main(): Promise<void> {
  const config = loadHubConfig();
  const hub = await startHub(config, { api: false, worker: false, reprocess: true });
  try {
    const summary = await hub.app.get(ReprocessService).run();
    console.log(JSON.stringify({ reprocess: summary }));
  } finally {
    await hub.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
