import { APP_GUARD } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { HubConfig } from '../../../libs/config/src';
import { CandidateDetailRepository } from './candidates/candidate-detail.repository';
import { CandidateHardwareRepository } from './candidates/candidate-hardware.repository';
import { CandidatesController } from './candidates/candidates.controller';
import { CandidatesService } from './candidates/candidates.service';
import { HUB_CONFIG } from './config/hub-config.provider';
import { DatabaseModule } from './database/database.module';
import { CandidateRepository } from './grouping/candidate.repository';
import { CrashGroupingService } from './grouping/crash-grouping.service';
import { CepProcessingService } from './fleet/cep-processing.service';
import { CepReportProcessor } from './fleet/cep-report.processor';
import { CepRetentionService } from './fleet/cep-retention.service';
import { CrashLinkService } from './fleet/crash-link.service';
import { FleetRollupRebuildService } from './fleet/fleet-rollup-rebuild.service';
import { FleetRollupRepository } from './fleet/fleet-rollup.repository';
import { FleetStatsController } from './fleet/fleet-stats.controller';
import { FleetStatsPageController } from './fleet/fleet-stats-page.controller';
import { FleetStatsService } from './fleet/fleet-stats.service';
import { HostErasureRepository } from './fleet/host-erasure.repository';
import { HostRepository } from './fleet/host.repository';
import { HostsController } from './fleet/hosts.controller';
import { HostsService } from './fleet/hosts.service';
import { HealthController } from './health/health.controller';
import { AttachmentService } from './ingest/attachment.service';
import { CepIngestController } from './ingest/cep-ingest.controller';
import { CrashIngestController } from './ingest/crash-ingest.controller';
import { FafCompatController } from './ingest/faf-compat.controller';
import { IngestTokenGuard } from './ingest/ingest-token.guard';
import { RawReportRepository } from './ingest/raw-report.repository';
import { ReportIntakeService } from './ingest/report-intake.service';
import { SenderCountryService } from './ingest/sender-country.service';
import { CrashProcessingService } from './processing/crash-processing.service';
import { CrashReportProcessor } from './processing/crash-report.processor';
import { ReportRecoveryService } from './processing/report-recovery.service';
import { QueueModule } from './queue/queue.module';
import { ReportIndexerService } from './search/report-indexer.service';
import { candidateSearchProvider } from './search/search.providers';
import { ArchiveWorkerPool } from './limits/archive-worker-pool.service';
import { multipartLimits } from './limits/multipart-limits';
import { RateLimitGuard } from './limits/rate-limit.guard';
import { RateLimitService } from './limits/rate-limit.service';
import { UploadSpoolService } from './limits/upload-spool.service';

/** Which halves of the hub this process runs; one codebase, one provider graph. */
export interface HubRoles {
  api: boolean;
  worker: boolean;
}

@Module({})
export class HubModule {
  static forRoot(config: HubConfig, databaseUrl: string, poolSize: number, roles: HubRoles): DynamicModule {
    const shared: Provider[] = [
      { provide: HUB_CONFIG, useValue: config },
      RawReportRepository,
      ReportIntakeService,
      CandidateRepository,
      CrashGroupingService,
      candidateSearchProvider,
      ReportIndexerService,
      HostRepository,
      FleetRollupRepository,
      ArchiveWorkerPool,
    ];
    const api: Provider[] = [
      AttachmentService,
      IngestTokenGuard,
      SenderCountryService,
      CandidatesService,
      CandidateDetailRepository,
      CandidateHardwareRepository,
      FleetStatsService,
      HostsService,
      HostErasureRepository,
      UploadSpoolService,
      RateLimitService,
      { provide: APP_GUARD, useClass: RateLimitGuard },
    ];
    const worker: Provider[] = [
      CrashProcessingService,
      CrashReportProcessor,
      ReportRecoveryService,
      CrashLinkService,
      CepProcessingService,
      CepReportProcessor,
      CepRetentionService,
      FleetRollupRebuildService,
    ];
    return {
      module: HubModule,
      imports: [
        DatabaseModule.forRoot(databaseUrl, poolSize, config.migrationsRun),
        QueueModule.forRoot(config),
        TerminusModule,
        MulterModule.register({ limits: multipartLimits(config) }),
      ],
      controllers: roles.api
        ? [FafCompatController, CrashIngestController, CepIngestController, CandidatesController, FleetStatsController, FleetStatsPageController, HostsController, HealthController]
        : [],
      providers: [...shared, ...(roles.api ? api : []), ...(roles.worker ? worker : [])],
    };
  }
}
