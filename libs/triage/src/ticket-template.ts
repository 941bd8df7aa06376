import template from './data/ticket-template.json';
import mapping from './data/jira-mapping.json';

export const TEMPLATE_VERSION = template.version;
/** Jira's summary limit; text fields are commonly capped at 32,767 characters. */
const SUMMARY_MAX = 255;
const DESCRIPTION_MAX = 30_000;

export interface TicketFacts {
  candidateId: string;
  candidateUrl: string;
  kind: string;
  component: string;
  function: string;
  reports: { total: number; field: number; rig: number };
  hosts: { total: number; field: number; rig: number };
  firstSeen: string;
  lastSeen: string;
  packageVersions: Array<{ value: string; reports: number }>;
  kernels: Array<{ value: string; reports: number }>;
  frames: Array<{ function: string; file?: string | null; line?: number | null }>;
  hardware: Array<{ attribute: string; value: string; clusterShare: number | null; fleetShare: number | null }>;
  liveHosts: number;
  rates: Array<{ version: string; hosts: number; perThousand: number | null }>;
}

type Scalar = string | number;
type View = Record<string, Scalar | Array<Record<string, Scalar>>>;

/** Characters Jira wiki markup gives meaning to, escaped so a value is shown as written. */
export function escapeWiki(text: string): string {
  return text.replace(/[\\{}[\]|*_+^~?!#-]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/** Inside {noformat} only the closing macro can break out. */
function noformatSafe(text: string): string {
  return text.replace(/\{noformat\}/gi, '{ noformat}');
}

function fill(line: string, view: Record<string, Scalar | unknown>): string {
  return line.replace(/\{\{(&?)([a-zA-Z]+)\}\}/g, (_, raw: string, name: string) => {
    const value = view[name];
    if (value === undefined || typeof value === 'object') return '';
    return raw ? noformatSafe(String(value)) : escapeWiki(String(value));
  });
}

/** A small mustache: values, one-line list sections and empty-list sections. */
export function renderTemplate(lines: string[], view: View): string {
  const out: string[] = [];
  for (const line of lines) {
    const section = /^(.*)\{\{([#^])([a-zA-Z]+)\}\}(.*)\{\{\/\3\}\}(.*)$/.exec(line);
    if (!section) {
      out.push(fill(line, view));
      continue;
    }
    const [, before, mode, name, inner, after] = section;
    const list = view[name!];
    const items = Array.isArray(list) ? list : [];
    if (mode === '^') {
      if (!items.length) out.push(fill(`${before}${inner}${after}`, view));
      continue;
    }
    for (const item of items) out.push(fill(`${before}${inner}${after}`, { ...view, ...item }));
  }
  return out.join('\n');
}

const percent = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

function view(facts: TicketFacts): View {
  const kindTitle = `${facts.kind.charAt(0).toUpperCase()}${facts.kind.slice(1)} crash`;
  return {
    kindTitle,
    candidateId: facts.candidateId,
    candidateUrl: facts.candidateUrl,
    kind: facts.kind,
    component: facts.component,
    function: facts.function,
    reportsTotal: facts.reports.total,
    reportsField: facts.reports.field,
    reportsRig: facts.reports.rig,
    hostsTotal: facts.hosts.total,
    hostsField: facts.hosts.field,
    hostsRig: facts.hosts.rig,
    firstSeen: facts.firstSeen,
    lastSeen: facts.lastSeen,
    packageVersions: facts.packageVersions,
    kernels: facts.kernels,
    frames: facts.frames.map((f, i) => ({
      index: i,
      function: f.function,
      location: f.file ? `at ${f.file}${f.line ? `:${f.line}` : ''}` : '',
    })),
    hardware: facts.hardware.map((h) => ({ attribute: h.attribute, value: h.value, clusterShare: percent(h.clusterShare), fleetShare: percent(h.fleetShare) })),
    liveHosts: facts.liveHosts,
    rates: facts.rates.map((r) => ({ version: r.version, hosts: r.hosts, perThousand: r.perThousand === null ? '-' : r.perThousand.toFixed(2) })),
  };
}

export function renderSummary(facts: TicketFacts): string {
  const text = fill(template.summary, view(facts)).replace(/\\/g, '');
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 3)}...` : text;
}

export function renderDescription(facts: TicketFacts): string {
  const text = renderTemplate(template.description, view(facts));
  return text.length > DESCRIPTION_MAX ? `${text.slice(0, DESCRIPTION_MAX - 40)}\n\n_(cut; see the candidate page)_` : text;
}

/** The stable label tying a Jira issue to a candidate (searchable with JQL). */
export function candidateLabel(candidateId: string): string {
  return `crash-${candidateId}`;
}

function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(value);
}

/** Jira component for a candidate's component, from the mapping data; null if none maps. */
export function jiraComponent(component: string, allowed?: string[]): string | null {
  const hit = mapping.components.find((c) => glob(c.match, component));
  const name = hit?.jira ?? (allowed?.includes(component) ? component : null);
  return name && (!allowed || allowed.includes(name)) ? name : null;
}

/** Jira affects-versions from package versions (first matching rule per version; unknown ones left out). */
export function jiraVersions(packageVersions: string[], allowed?: string[]): string[] {
  const names = new Set<string>();
  for (const v of packageVersions) {
    for (const rule of mapping.versions) {
      const m = new RegExp(rule.match).exec(v);
      if (!m) continue;
      names.add(rule.jira.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? ''));
      break;
    }
  }
  return [...names].filter((n) => !allowed || allowed.includes(n)).sort();
}
