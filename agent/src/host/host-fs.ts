import { promises as fsp, Stats } from 'node:fs';
import * as path from 'node:path';

/**
 * Read-only view of the host's files under a configurable root, so collectors can be pointed at a
 * fixture tree. Missing or unreadable paths yield `undefined`: collectors decide what absence means.
 */
export class HostFs {
  constructor(readonly root: string = '/') {}

  /** Maps a host-absolute path (`/proc/cpuinfo`) into the root. */
  resolve(hostPath: string): string {
    return path.join(this.root, path.resolve('/', hostPath));
  }

  async readText(hostPath: string): Promise<string | undefined> {
    try {
      return await fsp.readFile(this.resolve(hostPath), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** First line, trimmed; sysfs attributes are single values with a trailing newline. */
  async readValue(hostPath: string): Promise<string | undefined> {
    const text = await this.readText(hostPath);
    const value = text?.split('\n')[0]?.trim();
    return value ? value : undefined;
  }

  async readDir(hostPath: string): Promise<string[] | undefined> {
    try {
      return (await fsp.readdir(this.resolve(hostPath))).sort();
    } catch {
      return undefined;
    }
  }

  async exists(hostPath: string): Promise<boolean> {
    return (await this.stat(hostPath)) !== undefined;
  }

  /** lstat, so a symlink's own owner/mode is what callers check. */
  async stat(hostPath: string): Promise<Stats | undefined> {
    try {
      return await fsp.lstat(this.resolve(hostPath));
    } catch {
      return undefined;
    }
  }

  /** Last path component of a symlink target (sysfs `device/driver` → driver name). */
  async linkName(hostPath: string): Promise<string | undefined> {
    try {
      return path.basename(await fsp.readlink(this.resolve(hostPath)));
    } catch {
      return undefined;
    }
  }
}
