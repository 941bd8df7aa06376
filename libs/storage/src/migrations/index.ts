import { CrashPipeline1795552206059 } from './1795552206059-CrashPipeline';
import { CoreSymbols1795553950903 } from './1795553950903-CoreSymbols';
import { BoundedBuckets1795554604428 } from './1795554604428-BoundedBuckets';

/** Applied in order at start (MIGRATIONS_RUN); generated with `npm run migration:generate`. */
export const HUB_MIGRATIONS = [CrashPipeline1795552206059, CoreSymbols1795553950903, BoundedBuckets1795554604428];
