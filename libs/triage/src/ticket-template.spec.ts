import { candidateLabel, escapeWiki, jiraComponent, jiraVersions, renderDescription, renderSummary, renderTemplate, TicketFacts } from './ticket-template';

const facts: TicketFacts = {
  candidateId: 'c0ffee00-0000-4000-8000-000000000001',
  candidateUrl: 'https://hub.example/candidates/c0ffee00-0000-4000-8000-000000000001',
  kind: 'core',
  component: 'vzctl',
  function: 'env_create',
  reports: { total: 7, field: 4, rig: 3 },
  hosts: { total: 5, field: 3, rig: 2 },
  firstSeen: '2026-03-01T10:00:00.000Z',
  lastSeen: '2026-03-04T10:00:00.000Z',
  packageVersions: [{ value: '7.0.12-45', reports: 7 }],
  kernels: [],
  frames: [{ function: 'env_create', file: 'src/env.c', line: 42 }, { function: 'main', file: null, line: null }],
  hardware: [{ attribute: 'cpu.model', value: 'Xeon | E5', clusterShare: 0.8, fleetShare: 0.1 }],
  liveHosts: 1000,
  rates: [{ version: '7.0.12-45', hosts: 5, perThousand: 5 }],
};

describe('ticket template', () => {
  it('renders every required fact into wiki markup, frames verbatim inside {noformat}', () => {
    const text = renderDescription(facts);
    expect(text).toContain('||Reports|7 (field 4, rigs 3)|');
    expect(text).toContain('||Distinct hosts|5 (field 3, rigs 2)|');
    expect(text).toContain('#0 env_create at src/env.c:42');
    expect(text).toContain('#1 main \n');
    expect(text).toContain('|cpu.model|Xeon \\| E5|80.0%|10.0%|');
    expect(text).toContain('|7.0.12\\-45|5|5.00|');
    expect(text).toContain('_none recorded_');
    expect(text).toContain(facts.candidateUrl);
  });

  it('summary names kind, function and component, capped at 255', () => {
    expect(renderSummary(facts)).toBe('Core crash in env_create (vzctl)');
    expect(renderSummary({ ...facts, function: 'f'.repeat(400) }).length).toBe(255);
  });

  it('escapes wiki markup in values and lists render per item', () => {
    expect(escapeWiki('a*b_[c]{d}')).toBe('a\\*b\\_\\[c\\]\\{d\\}');
    expect(renderTemplate(['{{#xs}}- {{n}}{{/xs}}', '{{^xs}}empty{{/xs}}'], { xs: [{ n: 1 }, { n: 2 }] })).toBe('- 1\n- 2');
  });

  it('maps components and versions from the mapping data, leaving out what Jira does not offer', () => {
    expect(jiraComponent('kernel-core')).toBe('kernel');
    expect(jiraComponent('vzctl', ['kernel'])).toBeNull();
    expect(jiraComponent('unknown-tool')).toBeNull();
    expect(jiraVersions(['7.0.12-45.vz7', '1:7.0.13-1', '7.0.12-46'], ['7.0.12', '7.0.13'])).toEqual(['7.0.12', '7.0.13']);
    expect(jiraVersions(['9.9.9-1'], ['7.0.12'])).toEqual([]);
    expect(candidateLabel('abc')).toBe('crash-abc');
  });
});
