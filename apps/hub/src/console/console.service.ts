import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { HubConfig } from '../../../../libs/config/src';
import { CandidateQuerySchema, describeZodError } from '../../../../libs/contracts/src';
import { HARDWARE_FILTERS, type HardwareFilterName } from '../../../../libs/contracts/src/fleet/hardware-filters';
import {
  type CandidatePageView,
  type CandidateQueueView,
  dayRange,
  fillDays,
  type HardwareSearchView,
  type RawFrame,
  readQueueUrl,
  type ReportPageView,
  type RigsView,
  type ThreadFrame,
  type UrlParams,
} from '../../../../libs/console-pages/src';
import { defaultSignatureFrames, frameDistance, normalizeFunctionName, type CrashFamily } from '../../../../libs/crash-signature/src';
import { dayOf, liveHostsIn } from '../../../../libs/host-profiles/src';
import { readArchive, toProblemDirectory } from '../../../../libs/storage/src/archive';
import type { NormalizedFrameRecord } from '../../../../libs/storage/src/entities/normalized-frame-record';
import { AuditEventRepository } from '../access/audit-event.repository';
import type { Principal } from '../access/principal';
import { CandidateDetailRepository } from '../candidates/candidate-detail.repository';
import { CandidatesService } from '../candidates/candidates.service';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { FleetRollupRepository } from '../fleet/fleet-rollup.repository';
import { CrashGroupingService } from '../grouping/crash-grouping.service';
import { decodeRawCrash } from '../processing/raw-crash-decoder';
import { TicketService } from '../qa/ticket.service';
import { TriageService } from '../qa/triage.service';
import { ConsoleRepository } from './console.repository';

const SPARK_DAYS = 30;
const HISTORY_DAYS = 90;
const REPORTS_PER_PAGE = 25;
/** How many open candidates of the family the similar list is measured against, and how many it shows. */
const SIMILAR_POOL = 500;
const SIMILAR_SHOWN = 8;
/** Versions drawn as their own series; the rest are summed as "other". */
const VERSION_SERIES = 5;
/** Elements of a problem directory shown as text up to this size; larger or binary ones by size only. */
const MAX_SHOWN_ELEMENT = 64 * 1024;

/** Builds each console page's view from the hub's services and repositories. */
@Injectable()
export class ConsoleService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly candidates: CandidatesService,
    private readonly detail: CandidateDetailRepository,
    private readonly grouping: CrashGroupingService,
    private readonly rollup: FleetRollupRepository,
    private readonly repo: ConsoleRepository,
    private readonly audit: AuditEventRepository,
    private readonly triage: TriageService,
    private readonly tickets: TicketService,
  ) {}

  async queue(params: UrlParams, now = new Date()): Promise<Omit<CandidateQueueView, 'canMerge' | 'viewer' | 'notice'>> {
    const { form, query } = readQueueUrl(params);
    const suggestions = await this.suggestions(now);
    const parsed = CandidateQuerySchema.safeParse(query);
    if (!parsed.success) return { form, total: 0, items: [], suggestions, error: describeZodError(parsed.error) };
    // Counts per tab are of the whole queue: shown only while no other filter narrows it.
    const unfiltered = !Object.keys(form.values).length && !form.attrs.length;
    const [page, stateCounts] = await Promise.all([this.candidates.list(parsed.data), unfiltered ? this.repo.stateCounts() : null]);
    const days = dayRange(now, SPARK_DAYS);
    const counts = await this.repo.dailyCounts(page.items.map((i) => i.id), new Date(`${days[0]}T00:00:00Z`));
    const byCandidate = new Map<string, Map<string, number>>();
    for (const c of counts) {
      if (!byCandidate.has(c.candidate_id)) byCandidate.set(c.candidate_id, new Map());
      byCandidate.get(c.candidate_id)!.set(c.day, c.reports);
    }
    return {
      form,
      total: page.total,
      stateCounts,
      suggestions,
      items: page.items.map((i) => ({ ...i, last30Days: { days, counts: fillDays(days, byCandidate.get(i.id) ?? new Map()) } })),
    };
  }

  async candidate(id: string, reportsOffset: number, now = new Date()): Promise<Omit<CandidatePageView, 'canMerge' | 'viewer' | 'notice'>> {
    const c = await this.detail.findCandidate(id);
    if (!c) throw new NotFoundException(`candidate ${id} not found`);
    const days = dayRange(now, HISTORY_DAYS);
    const [latest, daily, byProduct, origins, reports, hardware, rules, pool, activity] = await Promise.all([
      this.repo.latestReport(id),
      this.repo.dailyByVersion(id, new Date(`${days[0]}T00:00:00Z`)),
      this.repo.reportsByProductVersion(id),
      this.repo.originCounts(id),
      this.repo.reportPage(id, REPORTS_PER_PAGE, reportsOffset),
      this.candidates.hardware(id, now),
      this.detail.rules(id),
      this.repo.openCandidatesOfFamily(c.family, id, SIMILAR_POOL),
      this.audit.find({ targetType: 'candidate', targetId: id, limit: 50 }),
    ]);
    const fleet = new Map((await this.rollup.allRows(dayOf(now))).map((r) => [`${r.attribute}=${r.value}`, r.hosts]));
    const triage = c.mergedIntoId ? null : await this.triage.view(id);
    return {
      candidate: { ...c, fieldReports: origins.field, rigReports: origins.rig },
      thread: latest ? await this.thread(latest) : null,
      occurrences: versionSeries(days, daily),
      crashRates: byProduct.map((r) => ({ version: r.version, reports: r.reports, liveHosts: fleet.get(`product.version=${r.version}`) ?? null })),
      hardware: { hosts: hardware.hosts, liveServers: hardware.fleet.liveServers, rows: hardware.rows },
      reports: { total: c.reportCount, offset: reportsOffset, limit: REPORTS_PER_PAGE, items: reports },
      similar: c.mergedIntoId
        ? []
        : pool
            .map((o) => ({ ...o, distance: frameDistance(c.representativeFrames, o.frames) }))
            .filter((o) => o.distance <= Math.max(0.6, this.config.grouping.threshold * 2))
            .sort((a, b) => a.distance - b.distance || b.reportCount - a.reportCount)
            .slice(0, SIMILAR_SHOWN),
      rules,
      activity: activity.map((e) => ({ at: e.at, actor: e.actorName, action: e.action })),
      triage: triage && { ...triage, manual: triage.manual && { ...triage.manual, untilVersion: triage.manual.untilVersion ?? undefined, untilCount: triage.manual.untilCount ?? undefined } },
      ticketRequestId: randomUUID(),
    };
  }

  /** The latest report's normalized thread, each frame with the file:line of the raw frame it came from. */
  private async thread(latest: { id: string; family: string; normalizedFrames: NormalizedFrameRecord[] }) {
    const signatureFrames = defaultSignatureFrames(latest.family as CrashFamily);
    let raw: RawFrame[] | null = null;
    let rawError: string | null = null;
    const stored = await this.repo.rawReport(latest.id);
    if (stored) {
      try {
        raw = (await decodeRawCrash(stored, this.config.limits.archive, this.config.machineIdKey)).input.crash.frames;
      } catch (error) {
        rawError = (error as Error).message;
      }
    } else {
      rawError = 'the stored report is gone';
    }
    let cursor = 0;
    const frames: ThreadFrame[] = latest.normalizedFrames.map((f, i) => {
      const at = raw ? raw.findIndex((r, j) => j >= cursor && (r.function === f.function || normalizeFunctionName(r.function ?? '??') === f.function)) : -1;
      if (at >= 0) cursor = at + 1;
      const source = at >= 0 ? raw![at] : undefined;
      return { function: f.function, module: f.module ?? source?.module, file: source?.file, line: source?.line, grouping: i < signatureFrames };
    });
    return { reportId: latest.id, frames, raw, rawError };
  }

  async hardwareSearch(params: UrlParams, now = new Date()): Promise<Omit<HardwareSearchView, 'viewer'>> {
    const onlyHardware: UrlParams = Object.fromEntries(Object.entries(params).filter(([k]) => k in HARDWARE_FILTERS || k === 'attr'));
    const { form, query } = readQueueUrl({ ...onlyHardware, limit: '50' });
    const rows = await this.rollup.allRows(dayOf(now));
    const fleet = new Map(rows.map((r) => [`${r.attribute}=${r.value}`, r.hosts]));
    const values = [
      ...Object.entries(form.values).flatMap(([name, csv]) =>
        csv.split(',').map((v) => v.trim()).filter(Boolean).map((value) => ({ filter: name, attribute: HARDWARE_FILTERS[name as HardwareFilterName], value })),
      ),
      ...form.attrs.map((a) => ({ filter: 'attr', attribute: a.slice(0, a.indexOf('=')), value: a.slice(a.indexOf('=') + 1) })),
    ].map((v) => ({ ...v, liveHosts: fleet.get(`${v.attribute}=${v.value}`) ?? null }));
    const base = { form, values, liveServers: liveHostsIn(rows), suggestions: suggestionsFrom(rows) };
    if (!values.length) return { ...base, total: 0, clusters: [] };
    const parsed = CandidateQuerySchema.safeParse(query);
    if (!parsed.success) return { ...base, total: 0, clusters: [], error: describeZodError(parsed.error) };
    const page = await this.candidates.list(parsed.data);
    return { ...base, total: page.total, clusters: page.items };
  }

  async report(id: string): Promise<Omit<ReportPageView, 'viewer'>> {
    const raw = await this.repo.rawReport(id);
    if (!raw) throw new NotFoundException(`report ${id} not found`);
    const crash = await this.repo.crashReport(id);
    const profile = crash?.hostProfileId ? await this.repo.hostProfile(crash.hostProfileId) : null;
    const { content, note } = await this.content(raw);
    return {
      ...raw,
      content,
      contentNote: note,
      crash,
      profile: profile ? { ...profile, attributes: Object.keys(profile.attributes) } : null,
    };
  }

  /** What the report carried, as text: the uReport JSON, or the problem directory's text elements. */
  private async content(raw: { kind: string; payload: Buffer }): Promise<{ content: Array<{ name: string; text: string }>; note: string | null }> {
    try {
      if (raw.kind === 'ureport') {
        return { content: [{ name: 'uReport (JSON)', text: JSON.stringify(JSON.parse(gunzipSync(raw.payload).toString()), null, 2) }], note: null };
      }
      const dir = toProblemDirectory(await readArchive(raw.payload, this.config.limits.archive));
      const content: Array<{ name: string; text: string }> = [];
      const skipped: string[] = [];
      for (const [name, bytes] of [...dir.elements].sort(([a], [b]) => a.localeCompare(b))) {
        if (bytes.length > MAX_SHOWN_ELEMENT || bytes.includes(0)) skipped.push(`${name} (${bytes.length} bytes)`);
        else content.push({ name, text: bytes.toString('utf8') });
      }
      return { content, note: skipped.length ? `Not shown (binary or large): ${skipped.join(', ')}.` : null };
    } catch (error) {
      return { content: [], note: `The stored content cannot be read: ${(error as Error).message}` };
    }
  }

  async rigs(): Promise<Omit<RigsView, 'viewer'>> {
    return { runs: await this.repo.rigRuns(200) };
  }

  async merge(targetId: string, sourceId: string, actor: Principal): Promise<void> {
    await this.grouping.merge(targetId, sourceId, 'merged in the console', actor);
  }

  /** Merges the selected candidates into the one with the most reports; returns its id. */
  async mergeSelected(ids: string[], actor: Principal): Promise<string> {
    const rows = (await this.detail.findCandidates([...new Set(ids)])).filter((c) => !c.mergedIntoId);
    if (rows.length < 2) throw new NotFoundException('select at least two open candidates to merge');
    const [target, ...sources] = rows.sort((a, b) => b.reportCount - a.reportCount || a.id.localeCompare(b.id));
    for (const s of sources) await this.grouping.merge(target.id, s.id, 'merged in the console (bulk)', actor);
    return target.id;
  }

  /** Files the candidate in Jira as a queued job (once per request id). */
  async fileTicket(candidateId: string, requestId: string, actor: Principal): Promise<void> {
    await this.tickets.requestCreate(candidateId, requestId, actor);
  }

  async linkTicket(candidateId: string, issue: string, actor: Principal): Promise<void> {
    await this.tickets.linkExisting(candidateId, issue, actor);
  }

  async mute(candidateId: string, untilVersion: string | undefined, actor: Principal): Promise<void> {
    await this.triage.setManual(candidateId, { kind: 'muted', ...(untilVersion ? { untilVersion } : {}) }, actor);
  }

  async unmute(candidateId: string, actor: Principal): Promise<void> {
    await this.triage.setManual(candidateId, null, actor);
  }

  split(candidateId: string, reportId: string, actor: Principal): Promise<string> {
    return this.grouping.split(candidateId, reportId, 'split in the console', actor);
  }

  private async suggestions(now: Date): Promise<Record<string, string[]>> {
    const [known, rows] = await Promise.all([this.repo.knownValues(), this.rollup.allRows(dayOf(now))]);
    return { ...known, ...suggestionsFrom(rows) };
  }
}

/** Known values of each hardware filter from today's rollup, most common first. */
function suggestionsFrom(rows: ReadonlyArray<{ attribute: string; value: string; hosts: number }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, attribute] of Object.entries(HARDWARE_FILTERS)) {
    const values = rows.filter((r) => r.attribute === attribute).sort((a, b) => b.hosts - a.hosts).slice(0, 40).map((r) => r.value);
    if (values.length) out[name] = values;
  }
  return out;
}

/** Daily counts per package version: the busiest versions as their own series, the rest as "other". */
function versionSeries(days: string[], rows: ReadonlyArray<{ day: string; version: string | null; reports: number }>) {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.version ?? 'unknown', (totals.get(r.version ?? 'unknown') ?? 0) + r.reports);
  const named = [...totals].sort((a, b) => b[1] - a[1]).slice(0, VERSION_SERIES).map(([v]) => v);
  const perSeries = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const v = r.version ?? 'unknown';
    const key = named.includes(v) ? v : 'other versions';
    if (!perSeries.has(key)) perSeries.set(key, new Map());
    const m = perSeries.get(key)!;
    m.set(r.day, (m.get(r.day) ?? 0) + r.reports);
  }
  const order = [...named, 'other versions'].filter((k) => perSeries.has(k));
  return { days, series: order.map((name) => ({ name, counts: fillDays(days, perSeries.get(name)!) })) };
}

