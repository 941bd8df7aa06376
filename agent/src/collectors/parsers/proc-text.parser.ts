/** Parsers for the `key: value` and `KEY=value` text formats of /proc, /sys and /etc. */

/** Splits `key<TAB>: value` lines into blocks separated by blank lines (/proc/cpuinfo). */
export function parseColonBlocks(text: string): Array<Map<string, string>> {
  const blocks: Array<Map<string, string>> = [];
  let current = new Map<string, string>();
  for (const line of text.split('\n')) {
    const idx = line.indexOf(':');
    if (line.trim() === '') {
      if (current.size > 0) blocks.push(current);
      current = new Map();
    } else if (idx > 0) {
      current.set(line.slice(0, idx).trim(), line.slice(idx + 1).trim());
    }
  }
  if (current.size > 0) blocks.push(current);
  return blocks;
}

/** /proc/meminfo → bytes per key (values are in kB unless unit-less like HugePages_Total). */
export function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)(\s+kB)?/.exec(line);
    if (m) values.set(m[1], Number(m[2]) * (m[3] ? 1024 : 1));
  }
  return values;
}

/** Shell-style assignments (os-release, vz.conf): `KEY="value"`, comments and blanks skipped. */
export function parseShellAssignments(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    values.set(m[1], m[2].trim().replace(/^(["'])(.*)\1$/, '$2'));
  }
  return values;
}

/** /proc/mounts rows as [source, mountpoint, fstype]. */
export function parseMounts(text: string): Array<{ fsType: string }> {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 3)
    .map((cols) => ({ fsType: cols[2] }));
}
