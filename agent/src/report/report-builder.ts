import { promises as fsp } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import {
  CEP_MANIFEST_FILE,
  CEP_REPORT_SCHEMA_VERSION,
  reportManifestSchema,
  type CollectorFile,
  type ReportManifest,
} from '../../../libs/contracts/src/cep';
import type { CollectorResult } from '../collectors/collector-result';
import { AGENT_VERSION } from './agent-version';

export interface BuiltReport {
  reportId: string;
  manifest: ReportManifest;
  /** The gzip'd tarball, byte for byte what is spooled, previewed and sent. */
  tarball: Buffer;
}

export function collectorFileName(name: string): string {
  return `${name}.json`;
}

export function collectorFile(result: CollectorResult): CollectorFile {
  return { name: result.name, version: result.version, status: result.status, data: result.status === 'ok' ? result.data : null };
}

/** Who built a report, as the manifest states it. */
export interface ReportOrigin {
  hostId: string;
  /** This report's number among those built under `hostId`. */
  sequence: number;
  /** sha256 of the erasure key, so the hub can later check an erasure request. */
  erasureKeyHash: string;
}

/** report.tar.gz = manifest.json + one `<collector>.json` per result, in run order. */
export async function buildReport(results: CollectorResult[], origin: ReportOrigin, createdAt: Date): Promise<BuiltReport> {
  const reportId = randomUUID();
  const manifest = reportManifestSchema.parse({
    schemaVersion: CEP_REPORT_SCHEMA_VERSION,
    agentVersion: AGENT_VERSION,
    hostId: origin.hostId,
    reportId,
    createdAt: createdAt.toISOString(),
    sequence: origin.sequence,
    erasureKeyHash: origin.erasureKeyHash,
    collectors: results.map((r) => ({
      name: r.name,
      version: r.version,
      status: r.status,
      durationMs: r.durationMs,
      collectedAt: r.collectedAt,
      file: collectorFileName(r.name),
      ...(r.reason ? { reason: r.reason } : {}),
    })),
  });
  const staging = await fsp.mkdtemp(path.join(tmpdir(), 'cep-report-'));
  try {
    const members = [CEP_MANIFEST_FILE, ...results.map((r) => collectorFileName(r.name))];
    await fsp.writeFile(path.join(staging, CEP_MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    for (const r of results) await fsp.writeFile(path.join(staging, collectorFileName(r.name)), JSON.stringify(collectorFile(r), null, 2));
    const out = path.join(staging, 'report.tar.gz');
    // portable: no uid/gid/user names of the agent's files in the tar headers.
    await tar.create({ gzip: true, cwd: staging, portable: true, file: out, mtime: createdAt }, members);
    return { reportId, manifest, tarball: await fsp.readFile(out) };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}

/** Members of a report tarball as text, in archive order (preview and tests read back the real bytes). */
export async function readReport(tarball: Buffer): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const parser = new tar.Parser({
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => files.set(entry.path, Buffer.concat(chunks).toString('utf8')));
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', reject);
    parser.end(tarball);
  });
  return files;
}
