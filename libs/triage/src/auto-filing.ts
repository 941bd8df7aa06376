import rules from './data/auto-filing-rules.json';

export interface AutoFilingRules {
  version: number;
  minRigs: number;
  minTestRuns: number;
  newWithinDays: number;
  badHardware: { maxHosts: number; minShareOnOneCpuModel: number };
  skipPatterns: Record<string, string[]>;
}

export const AUTO_FILING_RULES: AutoFilingRules = rules;

/** The rule version, put on every ticket it files. */
export function ruleLabel(r: AutoFilingRules = AUTO_FILING_RULES): string {
  return `crashhub-autofile-v${r.version}`;
}

export interface RigCluster {
  candidateId: string;
  ticketed: boolean;
  firstSeen: string;
  rigs: string[];
  testRuns: string[];
  hosts: number;
  /** Crashes per CPU model among the candidate's reports. */
  cpuModels: Array<{ value: string; reports: number }>;
  /** Text that tells what kind of failure it is: reasons, crash function, signature. */
  texts: string[];
}

export type FilingDecision = { file: true; reason: string } | { file: false; reason: string };

export function decideAutoFiling(c: RigCluster, now: string, r: AutoFilingRules = AUTO_FILING_RULES): FilingDecision {
  if (c.ticketed) return { file: false, reason: 'already ticketed' };
  if (Date.parse(now) - Date.parse(c.firstSeen) > r.newWithinDays * 86_400_000) return { file: false, reason: `first seen over ${r.newWithinDays} days ago` };
  if (c.rigs.length < r.minRigs && c.testRuns.length < r.minTestRuns) {
    return { file: false, reason: `seen on ${c.rigs.length} rigs and ${c.testRuns.length} test runs (needs ${r.minRigs} rigs or ${r.minTestRuns} runs)` };
  }
  for (const [kind, patterns] of Object.entries(r.skipPatterns)) {
    const re = new RegExp(patterns.join('|'), 'i');
    if (c.texts.some((t) => re.test(t))) return { file: false, reason: `${kind} crash` };
  }
  const total = c.cpuModels.reduce((n, m) => n + m.reports, 0);
  const top = [...c.cpuModels].sort((a, b) => b.reports - a.reports)[0];
  if (top && total > 0 && c.hosts <= r.badHardware.maxHosts && top.reports / total >= r.badHardware.minShareOnOneCpuModel) {
    return { file: false, reason: `likely bad hardware: ${Math.round((100 * top.reports) / total)}% of crashes on CPU "${top.value}" among ${c.hosts} hosts` };
  }
  return { file: true, reason: `seen on ${c.rigs.length} rigs, ${c.testRuns.length} test runs` };
}
