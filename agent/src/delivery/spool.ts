import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../state/atomic-write';

export interface SpooledReport {
  reportId: string;
  /** Spool file; its name sorts oldest first. */
  file: string;
  enqueuedAt: number;
}

export type SpoolLog = (message: string) => void;

const ENTRY = /^(\d{15})-([0-9a-f-]{36})\.tar\.gz$/;

/**
 * On-disk queue of report tarballs awaiting a 2xx from the hub. One file per report, named
 * `<enqueued ms>-<report id>.tar.gz`, so a restart recovers order and ids from the directory alone.
 */
export class Spool {
  constructor(
    readonly dir: string,
    private readonly maxReports: number,
    private readonly log: SpoolLog = (m) => console.warn(m),
  ) {}

  async enqueue(reportId: string, tarball: Buffer, now: number): Promise<void> {
    const name = `${String(now).padStart(15, '0')}-${reportId}.tar.gz`;
    await writeFileAtomic(path.join(this.dir, name), tarball);
    const entries = await this.list();
    // Bounded: a host offline for months keeps the newest reports, which matter most.
    for (const dropped of entries.slice(0, Math.max(0, entries.length - this.maxReports))) {
      await this.remove(dropped.reportId);
      this.log(`cep-agent: spool full (${this.maxReports} reports); dropped oldest report ${dropped.reportId}`);
    }
  }

  async list(): Promise<SpooledReport[]> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    return names
      .map((name) => ENTRY.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ reportId: m[2], file: path.join(this.dir, m[0]), enqueuedAt: Number(m[1]) }))
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.reportId.localeCompare(b.reportId));
  }

  async read(entry: SpooledReport): Promise<Buffer | undefined> {
    return fsp.readFile(entry.file).catch(() => undefined);
  }

  async remove(reportId: string): Promise<void> {
    for (const entry of await this.list()) if (entry.reportId === reportId) await fsp.rm(entry.file, { force: true });
  }

  /** Reports the hub refused for good are kept aside for the admin instead of retried forever. */
  async quarantine(entry: SpooledReport): Promise<void> {
    const dir = path.join(this.dir, 'rejected');
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await fsp.rename(entry.file, path.join(dir, path.basename(entry.file)));
  }

  async size(): Promise<{ reports: number; bytes: number }> {
    const entries = await this.list();
    let bytes = 0;
    for (const e of entries) bytes += (await fsp.stat(e.file).catch(() => ({ size: 0 }))).size;
    return { reports: entries.length, bytes };
  }
}
