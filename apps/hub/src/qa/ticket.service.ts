import { ConflictException, Inject, Injectable, Logger, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { HubConfig } from '../../../../libs/config/src';
import { JiraClient, JiraError, JiraIssue, parseIssueKey } from '../../../../libs/jira-client/src';
import { JobQueue, JOBS, PermanentJobError, QUEUES } from '../../../../libs/queue/src';
import { JiraTicketEntity } from '../../../../libs/storage/src/entities';
import {
  candidateLabel,
  jiraComponent,
  jiraVersions,
  renderDescription,
  renderSummary,
  TEMPLATE_VERSION,
  TicketFacts,
} from '../../../../libs/triage/src';
import { CandidateDetailRepository } from '../candidates/candidate-detail.repository';
import { CandidatesService } from '../candidates/candidates.service';
import { AuditTrail } from '../access/audit-trail.service';
import type { Principal } from '../access/principal';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { actorLabel, JIRA_FILING, JIRA_SYNC } from './qa-actors';
import { CrashProcessingService } from '../processing/crash-processing.service';
import { JiraConnectionService } from './jira-connection.service';
import { TicketRepository } from './ticket.repository';
import { TriageService } from './triage.service';

const TOP_FRAMES = 10;
const TOP_HARDWARE = 5;

export interface TicketPreview {
  candidateId: string;
  label: string;
  templateVersion: number;
  summary: string;
  description: string;
  /** Exactly the `fields` the create call sends. */
  fields: Record<string, unknown>;
  existing: string[];
}

/** Reads a Jira issue into what the hub keeps of it. */
export function ticketRow(issue: JiraIssue, now: Date): JiraTicketEntity {
  const f = issue.fields;
  const duplicate = (f.issuelinks ?? []).find((l) => l.type.name === 'Duplicate' && l.outwardIssue)?.outwardIssue?.key ?? null;
  return {
    issueKey: issue.key,
    issueId: issue.id,
    status: f.status?.name ?? null,
    done: f.status?.statusCategory?.key === 'done',
    resolution: f.resolution?.name ?? null,
    fixVersions: (f.fixVersions ?? []).map((v) => v.name),
    duplicateOf: duplicate,
    jiraUpdated: f.updated ? new Date(f.updated.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : null,
    syncedAt: now,
  };
}

export const TICKET_FIELDS = ['summary', 'status', 'resolution', 'fixVersions', 'issuelinks', 'updated', 'labels'];

/** Preview, file (through a durable job), link and unlink Jira tickets for candidates. */
@Injectable()
export class TicketService {
  private readonly logger = new Logger(TicketService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly repo: TicketRepository,
    private readonly candidates: CandidatesService,
    private readonly detail: CandidateDetailRepository,
    private readonly crashes: CrashProcessingService,
    private readonly jira: JiraConnectionService,
    private readonly triage: TriageService,
    private readonly queue: JobQueue,
    private readonly audit: AuditTrail,
  ) {}

  candidateUrl(candidateId: string): string {
    return `${this.config.publicUrl}/candidates/${candidateId}`;
  }

  /** Top frames with file:line from the newest report's own stack; normalized names otherwise. */
  private async frames(candidateId: string, normalized: Array<{ function: string }>): Promise<TicketFacts['frames']> {
    const raw = await this.repo.newestRaw(candidateId);
    if (raw) {
      try {
        const decoded = await this.crashes.decode(raw);
        const frames = decoded.input.crash.frames.filter((f) => f.function);
        if (frames.length) return frames.slice(0, TOP_FRAMES).map((f) => ({ function: f.function!, file: f.file ?? null, line: f.line ?? null }));
      } catch (error) {
        this.logger.warn(`raw report ${raw.id} could not be read again: ${String(error)}`);
      }
    }
    return normalized.slice(0, TOP_FRAMES).map((f) => ({ function: f.function }));
  }

  async facts(candidateId: string): Promise<TicketFacts> {
    await this.triage.mustExist(candidateId);
    const candidate = (await this.detail.findCandidate(candidateId))!;
    const [origins, versions, kernels, hardware, hostsPerVersion] = await Promise.all([
      this.repo.originCounts(candidateId),
      this.detail.countBy(candidateId, 'package_version'),
      this.detail.countBy(candidateId, 'kernel'),
      this.candidates.hardware(candidateId),
      this.repo.hostsPerVersion(candidateId),
    ]);
    const side = (rig: boolean) => origins.find((o) => o.rig === rig) ?? { reports: 0, hosts: 0 };
    const live = hardware.fleet.liveServers;
    return {
      candidateId,
      candidateUrl: this.candidateUrl(candidateId),
      kind: candidate.family,
      component: candidate.component,
      function: candidate.representativeFrames[0]?.function ?? '(unknown)',
      reports: { total: candidate.reportCount, field: side(false).reports, rig: side(true).reports },
      hosts: { total: candidate.hostCount, field: side(false).hosts, rig: side(true).hosts },
      firstSeen: candidate.firstSeen.toISOString(),
      lastSeen: candidate.lastSeen.toISOString(),
      packageVersions: versions.filter((v) => v.value !== null).map((v) => ({ value: v.value!, reports: v.reports })),
      kernels: kernels.filter((v) => v.value !== null).map((v) => ({ value: v.value!, reports: v.reports })),
      frames: await this.frames(candidateId, candidate.representativeFrames),
      hardware: hardware.rows
        .filter((r) => (r.difference ?? 0) > 0)
        .slice(0, TOP_HARDWARE)
        .map((r) => ({ attribute: r.attribute, value: r.value, clusterShare: r.clusterShare, fleetShare: r.fleetShare })),
      liveHosts: live,
      rates: hostsPerVersion.map((v) => ({ version: v.version, hosts: v.hosts, perThousand: live > 0 ? (v.hosts * 1000) / live : null })),
    };
  }

  /** The ticket as it would be filed; Jira's metadata (when reachable) limits components and versions to what it offers. */
  async preview(candidateId: string, extraLabels: string[] = []): Promise<TicketPreview> {
    const facts = await this.facts(candidateId);
    const summary = renderSummary(facts);
    const description = renderDescription(facts);
    const label = candidateLabel(candidateId);
    const jira = this.config.jira;
    let allowedComponents: string[] | undefined;
    let allowedVersions: string[] | undefined;
    let issuetype: Record<string, string> = { name: jira?.issueType ?? 'Bug' };
    const meta = await this.reachableMetadata();
    if (meta) {
      issuetype = { id: meta.issueType.id };
      const names = (id: string) => meta.fields.find((f) => f.fieldId === id)?.allowedValues?.map((v) => v.name ?? v.value ?? '');
      allowedComponents = names('components');
      allowedVersions = names('versions');
    }
    const component = jiraComponent(facts.component, allowedComponents);
    const versions = jiraVersions(facts.packageVersions.map((v) => v.value), allowedVersions);
    const fields: Record<string, unknown> = {
      project: { key: jira?.project ?? 'OVZ' },
      issuetype,
      summary,
      description,
      labels: [label, ...extraLabels],
      ...(component ? { components: [{ name: component }] } : {}),
      ...(versions.length ? { versions: versions.map((name) => ({ name })) } : {}),
    };
    const existing = (await this.repo.links(candidateId)).map((l) => l.issueKey);
    return { candidateId, label, templateVersion: TEMPLATE_VERSION, summary, description, fields, existing };
  }

  /**
   * Jira's field metadata, or null while Jira is unreachable: filing must not wait for Jira, so the
   * ticket is then built from the mapping alone (Jira names anything it refuses when the job files it).
   */
  private async reachableMetadata() {
    if (!this.jira.client) return null;
    try {
      return await this.jira.metadata();
    } catch (error) {
      if (error instanceof JiraError && !error.transient) throw error;
      this.logger.warn(`Jira metadata unavailable, preview from the mapping alone: ${String(error)}`);
      return null;
    }
  }

  /** For people filing by hand without hub credentials: Jira's create form, prefilled. */
  async createFormUrl(candidateId: string): Promise<{ url: string }> {
    const jira = this.config.jira;
    if (!jira) throw new UnprocessableEntityException('Jira is not configured (JIRA_URL)');
    const preview = await this.preview(candidateId);
    const params = new URLSearchParams();
    const projectId = jira.projectId ?? (this.jira.client ? (await this.jira.metadata()).projectId : undefined);
    if (projectId) params.set('pid', projectId);
    const type = preview.fields.issuetype as { id?: string };
    if (type.id) params.set('issuetype', type.id);
    params.set('summary', preview.summary);
    params.set('description', preview.description);
    params.set('labels', preview.label);
    return { url: `${jira.url}/secure/CreateIssueDetails!init.jspa?${params.toString()}` };
  }

  /**
   * Files a ticket once: the same request id is the same filing; a candidate already linked is
   * answered with its ticket; a filing in progress is joined. The Jira call runs in a job.
   */
  async requestCreate(candidateId: string, requestId: string, by: Principal, override: { summary?: string; description?: string; extraLabels?: string[] } = {}) {
    const preview = await this.preview(candidateId, override.extraLabels);
    const fields = { ...preview.fields, ...(override.summary ? { summary: override.summary } : {}), ...(override.description ? { description: override.description } : {}) };
    const result = await this.repo.transaction(async (m) => {
      await this.repo.lockCandidate(m, candidateId);
      const same = await this.repo.findFilingByRequest(m, requestId);
      if (same) {
        if (same.candidateId !== candidateId) throw new ConflictException(`request id ${requestId} was used for candidate ${same.candidateId}`);
        return { filing: same, fresh: false };
      }
      const links = await m.query('SELECT issue_key FROM candidate_ticket WHERE candidate_id = $1 ORDER BY created_at LIMIT 1', [candidateId]);
      if (links[0]) return { linked: links[0].issue_key as string };
      const pending = await this.repo.findPendingFiling(m, candidateId);
      if (pending) return { filing: pending, fresh: false };
      const filing = await this.repo.insertFiling(m, { requestId, candidateId, requestedBy: actorLabel(by), fields });
      return { filing, fresh: true };
    });
    if ('linked' in result) {
      return { state: 'linked' as const, issueKey: result.linked, filingId: null };
    }
    if (result.fresh) {
      await this.triage.note(candidateId, by, 'ticket-requested', { requestId, filingId: result.filing.id, summary: fields.summary });
      await this.queue.enqueue(QUEUES.jira, JOBS.fileJiraTicket, { filingId: result.filing.id });
    }
    const f = result.filing;
    return { state: f.state, issueKey: f.issueKey, filingId: f.id };
  }

  async filing(id: string) {
    const filing = await this.repo.findFiling(id);
    if (!filing) throw new NotFoundException(`filing ${id} not found`);
    return filing;
  }

  /** Job: search by label first (an earlier attempt may have created it), then create; back-link; link. */
  async runFiling(filingId: string, isFinalAttempt: boolean): Promise<void> {
    const filing = await this.repo.findFiling(filingId);
    if (!filing || filing.state !== 'pending') return;
    const client = this.jira.require();
    try {
      const label = candidateLabel(filing.candidateId);
      const project = (filing.fields.project as { key: string }).key;
      const found = await client.search(`project = ${project} AND labels = "${label}"`, ['summary']);
      const outcome = found.length ? 'linked' : 'created';
      const key = found.length ? found[0]!.key : (await client.createIssue(filing.fields)).key;
      await this.backLink(client, filing.candidateId, key);
      // Link and triage before the filing reads done; a retry after a failure here finds the issue by label.
      await this.repo.transaction((m) => this.repo.addLink(m, filing.candidateId, key, outcome, filing.requestedBy));
      await this.afterLink(client, filing.candidateId, key, JIRA_FILING, outcome === 'created' ? 'ticket-created' : 'ticket-linked', { filingId, requestId: filing.requestId }, filing.requestedBy);
      await this.repo.transaction((m) => this.repo.finishFiling(m, filingId, 'done', key, outcome, null));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.repo.countFilingAttempt(filingId, message);
      const transient = !(error instanceof JiraError) || error.transient;
      if (transient && !isFinalAttempt) throw error;
      if (transient) {
        // Left pending: the sync's sweep files it again once Jira is back.
        throw new PermanentJobError(message);
      }
      await this.repo.transaction((m) => this.repo.finishFiling(m, filingId, 'failed', null, null, message));
      await this.triage.note(filing.candidateId, JIRA_FILING, 'ticket-failed', { filingId, error: message }, filing.requestedBy);
      throw new PermanentJobError(message);
    }
  }

  /** Remote link on the issue with a stable globalId: filing twice updates, never duplicates it. */
  async backLink(client: JiraClient, candidateId: string, key: string): Promise<void> {
    const candidate = await this.detail.findCandidate(candidateId);
    await client.upsertRemoteLink(key, {
      globalId: `crashhub:candidate:${candidateId}`,
      relationship: 'crash candidate',
      object: {
        url: this.candidateUrl(candidateId),
        title: `Crash hub candidate ${candidateId}`,
        summary: candidate ? `${candidate.reportCount} reports on ${candidate.hostCount} hosts, last seen ${candidate.lastSeen.toISOString()}` : undefined,
      },
    });
  }

  /** Reads the ticket's status and moves the candidate's triage along. */
  private async afterLink(client: JiraClient | null, candidateId: string, key: string, by: Principal, action: string, detail: Record<string, unknown>, onBehalfOf?: string) {
    await this.triage.apply(candidateId, { type: 'linked', key }, by, action, { issueKey: key, ...detail }, onBehalfOf);
    if (!client) return;
    const issue = await client.getIssue(key, TICKET_FIELDS);
    const row = ticketRow(issue, new Date());
    await this.repo.saveTicket(row);
    await this.triage.apply(candidateId, { type: 'ticket', ticket: { key, done: row.done, resolution: row.resolution, fixVersions: row.fixVersions }, now: new Date().toISOString() }, JIRA_SYNC);
  }

  /** "Link existing": a key or a /browse/ URL; several candidates may share one ticket. */
  async linkExisting(candidateId: string, input: string, by: Principal) {
    await this.triage.mustExist(candidateId);
    const key = parseIssueKey(input);
    if (!key) throw new UnprocessableEntityException(`"${input}" is neither an issue key like OVZ-123 nor a /browse/ URL`);
    const client = this.jira.client;
    if (client) {
      await client.getIssue(key, ['summary']);
      await this.backLink(client, candidateId, key);
    }
    const added = await this.repo.transaction((m) => this.repo.addLink(m, candidateId, key, 'linked', actorLabel(by)));
    if (added) await this.afterLink(client, candidateId, key, by, 'ticket-linked', {});
    return this.triage.view(candidateId);
  }

  async unlink(candidateId: string, key: string, by: Principal) {
    await this.triage.mustExist(candidateId);
    if (!(await this.repo.removeLink(candidateId, key))) throw new NotFoundException(`candidate ${candidateId} is not linked to ${key}`);
    const remaining = (await this.repo.links(candidateId))[0]?.issueKey ?? null;
    await this.triage.apply(candidateId, { type: 'unlinked', remainingKey: remaining }, by, 'ticket-unlinked', { issueKey: key });
    return this.triage.view(candidateId);
  }

  /** After a QA merge (which moved the links in its transaction): the survivor's triage follows them. */
  async afterMerge(targetId: string, sourceId: string, by: Principal): Promise<void> {
    const carried = (await this.repo.links(targetId)).filter((l) => l.origin === 'merged').map((l) => l.issueKey);
    if (!carried.length) return;
    await this.triage.apply(targetId, { type: 'linked', key: carried[0]! }, by, 'tickets-carried-by-merge', { from: sourceId, issueKeys: carried });
  }
}
