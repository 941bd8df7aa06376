import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The console's one stylesheet. tsc does not copy it into dist, so the source copy is read:
 * beside this file when run from source, or four levels up from dist/libs/console-pages/src.
 */
export function consoleStylesheet(): string {
  const here = join(__dirname, 'console.css');
  const fromDist = join(__dirname, '..', '..', '..', '..', 'libs', 'console-pages', 'src', 'console.css');
  return readFileSync(existsSync(here) ? here : fromDist, 'utf8');
}

/** htmx 2 from its npm package, served from the hub's own origin (CSP `script-src 'self'`). */
export function htmxScript(): string {
  return readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8');
}
