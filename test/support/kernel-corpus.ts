import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractKernelReports } from '../../libs/crash-signature/src';

export const KERNEL_CORPUS = join(__dirname, '..', 'fixtures', 'kernel-corpus');

export interface KernelCorpusLog {
  /** Path inside the corpus. */
  file: string;
  /** raw | callerid | dmesg-T | loglevel | journal | syslog | truncated | several-reports */
  variant: string;
  flavour: string;
  run: number;
  /** The bug of each report in the log, in order. */
  reports: string[];
}

export interface KernelCorpus {
  /** The function each bug lives in (bugs.txt). */
  functions: Record<string, string>;
  logs: KernelCorpusLog[];
}

/** One problem directory to send, with the bug it must be grouped as. */
export interface LabelledProblemDir {
  label: string;
  source: string;
  elements: Record<string, string>;
}

export function loadKernelCorpus(): KernelCorpus {
  return JSON.parse(readFileSync(join(KERNEL_CORPUS, 'manifest.json'), 'utf8'));
}

export function readCorpusLog(log: KernelCorpusLog): string {
  return readFileSync(join(KERNEL_CORPUS, log.file), 'utf8');
}

const KERNEL_RELEASE = /(?:Not tainted|Tainted: [A-Z ]*?)\s+(\d+\.\d+\S*)/;

/**
 * Kerneloops problem directories as abrt-dump-oops writes them: one per report found in the log, `kernel`
 * holding the release, `backtrace` the report's lines with log prefixes and the `cut here` line removed,
 * `reason` its first line.
 */
export function kerneloopsDirs(log: KernelCorpusLog, text: string, time: number): LabelledProblemDir[] {
  const reports = extractKernelReports(text);
  if (reports.length !== log.reports.length) {
    throw new Error(`${log.file}: ${reports.length} reports found, ${log.reports.length} labelled`);
  }
  return reports.map((report, i) => {
    const lines = report.lines.filter((line) => !/^-+\[ cut here \]-+$/.test(line) && !line.startsWith('Version:'));
    const release = lines.map((line) => KERNEL_RELEASE.exec(line)?.[1]).find(Boolean);
    return {
      label: log.reports[i],
      source: `${log.file}#${i + 1}`,
      elements: {
        type: 'Kerneloops',
        analyzer: 'abrt-oops',
        ...(release ? { kernel: release } : {}),
        reason: lines[0],
        backtrace: lines.join('\n') + '\n',
        time: String(time),
      },
    };
  });
}

/** A kdump directory as ABRT harvests it: the whole console log as vmcore-dmesg.txt; its first report counts. */
export function vmcoreDir(log: KernelCorpusLog, text: string, time: number): LabelledProblemDir {
  return {
    label: log.reports[0],
    source: `${log.file}#vmcore`,
    elements: { type: 'vmcore', analyzer: 'abrt-vmcore', 'vmcore-dmesg.txt': text, time: String(time) },
  };
}

/** Deterministic shuffle (mulberry32) so an arrival order can be replayed from its seed. */
export function seededShuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}
