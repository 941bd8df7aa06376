import { Client } from '@elastic/elasticsearch';
import { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import { CandidateSearch, ElasticsearchCandidateSearch, PostgresCandidateSearch } from '../../../../libs/search/src';
import { HUB_CONFIG } from '../config/hub-config.provider';

/** The configured search backend behind the CandidateSearch port. */
export const candidateSearchProvider: Provider = {
  provide: CandidateSearch,
  inject: [HUB_CONFIG, getDataSourceToken()],
  useFactory: (config: HubConfig, dataSource: DataSource) =>
    config.search.backend === 'elasticsearch'
      ? new ElasticsearchCandidateSearch(new Client({ node: config.search.url }), { index: config.search.index })
      : new PostgresCandidateSearch(dataSource),
};
