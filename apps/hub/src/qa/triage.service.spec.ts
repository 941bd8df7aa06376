import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { DataSource } from 'typeorm';
import { FakeElasticsearch } from '../../../../test/support/fake-elasticsearch';
import { CandidateQuerySchema } from '../../../../libs/contracts/src';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { loadHubConfig } from '../../../../libs/config/src';
import { hubDataSourceOptions } from '../../../../libs/storage/src/database-options';
import { AuditEventRepository } from '../access/audit-event.repository';
import { AuditTrail } from '../access/audit-trail.service';
import type { Principal } from '../access/principal';
import { CandidateDetailRepository } from '../candidates/candidate-detail.repository';
import { ElasticsearchCandidateSearch, PostgresCandidateSearch } from '../../../../libs/search/src';
import { ReportIndexerService } from '../search/report-indexer.service';
import { JIRA_SYNC } from './qa-actors';
import { Clock } from './clock';
import { TicketRepository } from './ticket.repository';
import { TriageRepository } from './triage.repository';
import { TriageService } from './triage.service';

const DAY = 86_400_000;
const alice: Principal = { kind: 'person', id: 'u-alice', name: 'alice', role: 'qa', sessionId: 's1', csrfToken: 'c1' };
const bob: Principal = { kind: 'token', id: 't-bob', name: 'bob-script', role: 'qa', userId: 'u-bob' };

/** A clock QA's rules run against, moved by the test. */
class MovableClock extends Clock {
  constructor(public at: number) {
    super();
  }
  override now(): Date {
    return new Date(this.at);
  }
}

/** TriageService on real PostgreSQL (no HTTP, no queue): states, the log, regressions, manual states. */
describe('TriageService (real database)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let service: TriageService;
  let triageRepo: TriageRepository;
  const clock = new MovableClock(Date.parse('2026-03-01T00:00:00Z'));

  beforeAll(async () => {
    db = await createTestDatabase('triage_service');
    ds = new DataSource(hubDataSourceOptions(db.url, 4));
    await ds.initialize();
    await ds.runMigrations();
    const config = loadHubConfig({ TRIAGE_VERIFY_DAYS: '7' });
    triageRepo = new TriageRepository(ds);
    service = new TriageService(config, triageRepo, new TicketRepository(ds), new CandidateDetailRepository(ds), clock, new AuditTrail(new AuditEventRepository(ds)), new ReportIndexerService(config, ds, new PostgresCandidateSearch(ds)));
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  async function candidate(): Promise<string> {
    const id = randomUUID();
    await ds.query(
      `INSERT INTO bug_candidate (id, family, component, exact_hash, signature_text, representative_frames, exemplars, first_seen, last_seen)
       VALUES ($1, 'core', 'vzctl', $2, 'f', '[]', '[]', now(), now())`,
      [id, `hash-${id}`],
    );
    return id;
  }
  async function crash(candidateId: string, version: string, at: number): Promise<void> {
    await ds.query(
      `INSERT INTO crash_report (id, candidate_id, family, problem_type, component, crashed_at, exact_hash, signature_text,
                                 normalized_frames, labels, grouping, package_name, package_version)
       VALUES ($1, $2, 'core', 'CCpp', 'vzctl', $3, 'h', 'f', '[]', '{}', '{}', 'vzctl', $4)`,
      [randomUUID(), candidateId, new Date(at), version],
    );
    await ds.query('UPDATE bug_candidate SET report_count = report_count + 1 WHERE id = $1', [candidateId]);
  }
  const fixed = (key: string, version: string) => ({ type: 'ticket' as const, ticket: { key, done: true, resolution: 'Fixed', fixVersions: [version] }, now: clock.now().toISOString() });

  it('fix pending → verified fixed after N days → one regression, each change logged once with its actor', async () => {
    const id = await candidate();
    await service.apply(id, { type: 'linked', key: 'OVZ-1' }, alice, 'ticket-linked', { issueKey: 'OVZ-1' });
    await service.apply(id, fixed('OVZ-1', '7.0.12'), JIRA_SYNC);
    // The same Jira state read again changes nothing and logs nothing.
    await service.apply(id, fixed('OVZ-1', '7.0.12'), JIRA_SYNC);
    await crash(id, '7.0.11-9', clock.at + DAY);
    clock.at += 7 * DAY;
    await service.evaluate(id);
    expect((await service.record(id)).state).toBe('verified-fixed');

    await crash(id, '7.0.12-3', clock.at + 1);
    clock.at += 2;
    const first = await service.evaluate(id);
    const second = await service.evaluate(id);
    expect(first?.regression).toEqual({ ticketKey: 'OVZ-1', fixVersion: '7.0.12', crashVersion: '7.0.12-3' });
    expect(second?.regression).toBeNull();

    const log = (await triageRepo.logOf(id)).map((e) => [e.actor, e.action, e.detail.to ?? null]);
    expect(log).toEqual([
      ['alice', 'ticket-linked', 'ticketed'],
      ['jira-sync', 'state-changed', 'fix-pending'],
      ['jira-sync', 'state-changed', 'verified-fixed'],
      ['jira-sync', 'state-changed', 'regressed'],
    ]);
    // The same four changes are in the audit trail, with who made each.
    const audit = await ds.query(`SELECT actor_kind, actor_name, action FROM audit_event WHERE target_type = 'candidate' AND target_id = $1 ORDER BY id`, [id]);
    expect(audit.map((a: { actor_kind: string; actor_name: string; action: string }) => `${a.actor_kind}:${a.actor_name}:${a.action}`)).toEqual([
      'person:alice:triage.ticket-linked',
      'system:jira-sync:triage.state-changed',
      'system:jira-sync:triage.state-changed',
      'system:jira-sync:triage.state-changed',
    ]);
  });

  it('copies a changed state into the Elasticsearch index, so the state filter follows it', async () => {
    const fake = await FakeElasticsearch.start();
    const client = new Client({ node: fake.url });
    try {
      const config = loadHubConfig({ SEARCH_BACKEND: 'elasticsearch', ELASTICSEARCH_URL: fake.url, ELASTICSEARCH_INDEX: 'triage-spec' });
      const search = new ElasticsearchCandidateSearch(client, { index: 'triage-spec' });
      const indexer = new ReportIndexerService(config, ds, search);
      const withIndex = new TriageService(config, triageRepo, new TicketRepository(ds), new CandidateDetailRepository(ds), clock, new AuditTrail(new AuditEventRepository(ds)), indexer);
      const id = await candidate();
      await crash(id, '7.1.0', clock.at - DAY);
      await crash(id, '7.1.1', clock.at - DAY);
      await indexer.indexCandidates([id]);
      const ids = async (state: string) => (await search.search(CandidateQuerySchema.parse({ state }), new Date(0))).items.map((i) => i.id);
      expect(await ids('new')).toEqual([id]);

      await withIndex.setManual(id, { kind: 'muted' }, alice);
      expect(await ids('new')).toEqual([]);
      expect(await ids('muted,ignored')).toEqual([id]);
      const bulks = fake.requests.filter((r) => r === 'POST /_bulk').length;
      // A note changes no state: nothing is re-indexed.
      await withIndex.note(id, alice, 'ticket-requested', {});
      expect(fake.requests.filter((r) => r === 'POST /_bulk').length).toBe(bulks);

      await withIndex.setManual(id, null, alice);
      expect(await ids('muted')).toEqual([]);
      expect(await ids('new')).toEqual([id]);
    } finally {
      await client.close();
      await fake.close();
    }
  });

  it('concurrent events on one candidate are applied one after the other', async () => {
    const id = await candidate();
    await Promise.all([
      service.apply(id, { type: 'linked', key: 'OVZ-2' }, alice, 'ticket-linked'),
      service.apply(id, fixed('OVZ-2', '7.0.12'), JIRA_SYNC),
      service.setManual(id, { kind: 'muted' }, bob),
    ]);
    const record = await service.record(id);
    expect(record.manual?.kind).toBe('muted');
    // Either order ends fix pending: a Fixed ticket read before the link still names its key.
    expect(record).toMatchObject({ state: 'fix-pending', ticketKey: 'OVZ-2' });
    expect((await triageRepo.logOf(id)).length).toBeGreaterThanOrEqual(3);
  });

  it('a mute until N more reports ends by itself; one until a version ends with a crash from it', async () => {
    const byCount = await candidate();
    await crash(byCount, '7.0.11-1', clock.at - DAY);
    await service.setManual(byCount, { kind: 'muted', untilCount: 2 }, alice);
    await crash(byCount, '7.0.11-1', clock.at + 1);
    clock.at += 2;
    await service.evaluate(byCount);
    expect((await service.view(byCount)).state).toBe('muted');
    await crash(byCount, '7.0.11-1', clock.at + 1);
    clock.at += 2;
    await service.evaluate(byCount);
    expect((await service.view(byCount)).state).toBe('new');

    const byVersion = await candidate();
    await service.setManual(byVersion, { kind: 'ignored', untilVersion: '7.0.13' }, alice);
    await crash(byVersion, '7.0.12-9', clock.at + 1);
    clock.at += 2;
    await service.evaluate(byVersion);
    expect((await service.view(byVersion)).state).toBe('ignored');
    await crash(byVersion, '7.0.13-1', clock.at + 1);
    clock.at += 2;
    await service.evaluate(byVersion);
    const view = await service.view(byVersion);
    expect(view.state).toBe('new');
    expect(view.log.map((e) => `${e.actor}:${e.action}`)).toEqual(['alice:set-ignored', 'jira-sync:state-changed']);
  });
});
