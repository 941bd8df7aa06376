import { CrashPipeline1795552206059 } from './1795552206059-CrashPipeline';

/** Applied in order at start (MIGRATIONS_RUN); generated with `npm run migration:generate`. */
export const HUB_MIGRATIONS = [CrashPipeline1795552206059];
