import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { CandidateQuery } from '../../contracts/src';
import { CandidateSearch, type CandidatePage, type CrashReportSearchDoc } from './candidate-search';
import { CRASH_REPORT_MAPPINGS, physicalIndexName } from './elasticsearch-candidate-index';
import { buildCandidateSearchRequest, readCandidatePage, type CandidateAggregations } from './elasticsearch-query-builder';

export interface ElasticsearchCandidateSearchOptions {
  /** Alias name (ELASTICSEARCH_INDEX); the physical index is `<index>_v2`. */
  index: string;
  /** When written reports become searchable; 'wait_for' returns after the next refresh. */
  refresh?: estypes.Refresh;
  /** See CandidateSearchLimits.maxCandidates. */
  maxCandidates?: number;
}

/** Candidate ranking over one Elasticsearch document per crash report. */
export class ElasticsearchCandidateSearch extends CandidateSearch {
  private readonly index: string;
  private readonly refresh: estypes.Refresh;
  private readonly maxCandidates: number;
  private ready: Promise<void> | undefined;

  /** The caller owns the client (and closes it on shutdown). */
  constructor(
    private readonly client: Client,
    options: ElasticsearchCandidateSearchOptions,
  ) {
    super();
    this.index = options.index;
    this.refresh = options.refresh ?? 'wait_for';
    this.maxCandidates = options.maxCandidates ?? 10_000;
  }

  async search(q: CandidateQuery, hotSince: Date): Promise<CandidatePage> {
    await this.ensureIndex();
    const response = await this.client.search<unknown, CandidateAggregations>(
      buildCandidateSearchRequest(this.index, q, hotSince, { maxCandidates: this.maxCandidates }),
    );
    return readCandidatePage(response.aggregations);
  }

  async indexReports(docs: CrashReportSearchDoc[]): Promise<void> {
    if (!docs.length) return;
    await this.bulk(docs.flatMap((doc) => [{ index: { _index: this.index, _id: doc.reportId } }, doc]));
  }

  async removeReports(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.bulk(ids.map((id) => ({ delete: { _index: this.index, _id: id } })));
  }

  async ping(): Promise<void> {
    // HEAD / answers false instead of throwing when the server replies 404.
    if (!(await this.client.ping())) throw new Error('Elasticsearch did not answer the ping');
  }

  private async bulk(operations: estypes.BulkRequest['operations']): Promise<void> {
    await this.ensureIndex();
    const response = await this.client.bulk({ refresh: this.refresh, operations });
    // Deleting a report that was never indexed answers 404 without an error: that is fine.
    const failed = response.items.flatMap((item) => Object.values(item)).filter((r) => r?.error);
    if (failed.length) {
      const first = failed[0]!;
      throw new Error(
        `Elasticsearch bulk: ${failed.length} of ${response.items.length} operations failed; ` +
          `first: ${first._id}: ${first.error?.type}: ${first.error?.reason}`,
      );
    }
  }

  /** Creates the versioned index behind the alias on first use; retried after a failure. */
  private ensureIndex(): Promise<void> {
    this.ready ??= this.createIndexIfMissing().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async createIndexIfMissing(): Promise<void> {
    if (await this.client.indices.exists({ index: this.index })) return;
    try {
      await this.client.indices.create({
        index: physicalIndexName(this.index),
        mappings: CRASH_REPORT_MAPPINGS,
        aliases: { [this.index]: { is_write_index: true } },
      });
    } catch (err) {
      // Another hub process created it between our check and our create.
      if (!(err instanceof errors.ResponseError && err.body?.error?.type === 'resource_already_exists_exception')) throw err;
    }
  }
}
