import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../state/atomic-write';

/** What a spooled body is, and so where the sender posts it. */
export type SpoolKind = 'cep' | 'crash-report' | 'crash-archive';

export interface SpooledReport {
  reportId: string;
  kind: SpoolKind;
  /** Spool file; its name sorts oldest first. */
  file: string;
  enqueuedAt: number;
}

export type SpoolLog = (message: string) => void;

const SUFFIX: Record<SpoolKind, string> = { cep: '.tar.gz', 'crash-report': '.crash-report.json', 'crash-archive': '.crash-archive.tar.gz' };
const KIND_OF_SUFFIX = new Map(Object.entries(SUFFIX).map(([kind, suffix]) => [suffix, kind as SpoolKind]));
const ENTRY = /^(\d{15})-([0-9a-f-]{36})(\.crash-report\.json|\.crash-archive\.tar\.gz|\.tar\.gz)$/;
/** Extra request headers of an entry (crash-archive labels) live beside its body. */
const HEADERS_SUFFIX = '.headers.json';

/**
 * On-disk queue of reports awaiting a 2xx from the hub. One file per report, named
 * `<enqueued ms>-<report id><kind suffix>`, so a restart recovers order, ids and kinds from the
 * directory alone. CEP reports and crashes share it, and so share delivery and retry.
 */
export class Spool {
  /**
   * Called when the spool is full, before the oldest report is evicted: delivering first (the hub
   * being reachable) leaves nothing deliverable to evict.
   */
  relieve?: () => Promise<void>;

  constructor(
    readonly dir: string,
    private readonly maxReports: number,
    private readonly log: SpoolLog = (m) => console.warn(m),
  ) {}

  /**
   * Returns false when the report id is already spooled: a crash rebuilt after a restart gets the
   * same id, and must not be queued twice.
   */
  async enqueue(reportId: string, body: Buffer, now: number, options: { kind?: SpoolKind; headers?: Record<string, string> } = {}): Promise<boolean> {
    const before = await this.list();
    if (before.some((e) => e.reportId === reportId)) return false;
    if (before.length >= this.maxReports && this.relieve) await this.relieve().catch(() => undefined);
    const name = `${String(now).padStart(15, '0')}-${reportId}${SUFFIX[options.kind ?? 'cep']}`;
    // Headers first: once the body exists, everything needed to send it exists.
    if (options.headers) await writeFileAtomic(path.join(this.dir, name + HEADERS_SUFFIX), JSON.stringify(options.headers));
    await writeFileAtomic(path.join(this.dir, name), body);
    const entries = await this.list();
    // Bounded: a host offline for months keeps the newest reports, which matter most.
    for (const dropped of entries.slice(0, Math.max(0, entries.length - this.maxReports))) {
      await this.remove(dropped.reportId);
      this.log(`cep-agent: spool full (${this.maxReports} reports); dropped oldest report ${dropped.reportId}`);
    }
    return true;
  }

  async list(kind?: SpoolKind): Promise<SpooledReport[]> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    return names
      .map((name) => ENTRY.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ reportId: m[2], kind: KIND_OF_SUFFIX.get(m[3])!, file: path.join(this.dir, m[0]), enqueuedAt: Number(m[1]) }))
      .filter((e) => !kind || e.kind === kind)
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.reportId.localeCompare(b.reportId));
  }

  async read(entry: SpooledReport): Promise<Buffer | undefined> {
    return fsp.readFile(entry.file).catch(() => undefined);
  }

  async headers(entry: SpooledReport): Promise<Record<string, string>> {
    const text = await fsp.readFile(entry.file + HEADERS_SUFFIX, 'utf8').catch(() => undefined);
    return text ? (JSON.parse(text) as Record<string, string>) : {};
  }

  async remove(reportId: string): Promise<void> {
    for (const entry of await this.list()) {
      if (entry.reportId !== reportId) continue;
      await fsp.rm(entry.file, { force: true });
      await fsp.rm(entry.file + HEADERS_SUFFIX, { force: true });
    }
  }

  /** Reports the hub refused for good are kept aside for the admin instead of retried forever. */
  async quarantine(entry: SpooledReport): Promise<void> {
    const dir = path.join(this.dir, 'rejected');
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await fsp.rename(entry.file, path.join(dir, path.basename(entry.file)));
    await fsp.rename(entry.file + HEADERS_SUFFIX, path.join(dir, path.basename(entry.file) + HEADERS_SUFFIX)).catch(() => undefined);
  }

  async size(): Promise<{ reports: number; bytes: number }> {
    const entries = await this.list();
    let bytes = 0;
    for (const e of entries) bytes += (await fsp.stat(e.file).catch(() => ({ size: 0 }))).size;
    return { reports: entries.length, bytes };
  }
}
