import { APP_GUARD } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { HubConfig } from '../../../libs/config/src';
import { accessApiProviders, accessControllers, accessSharedProviders } from './access/access.providers';
import { CandidateDetailRepository } from './candidates/candidate-detail.repository';
import { CandidateHardwareRepository } from './candidates/candidate-hardware.repository';
import { CandidatesController } from './candidates/candidates.controller';
import { CandidatesService } from './candidates/candidates.service';
import { HUB_CONFIG } from './config/hub-config.provider';
import { AdminConsoleController } from './console/admin-console.controller';
import { AdminJiraService } from './console/admin-jira.service';
import { ConsoleAssetsController } from './console/console-assets.controller';
import { ConsoleController } from './console/console.controller';
import { ConsoleRepository } from './console/console.repository';
import { ConsoleService } from './console/console.service';
import { DatabaseModule } from './database/database.module';
import { CandidateRepository } from './grouping/candidate.repository';
import { CrashGroupingService } from './grouping/crash-grouping.service';
import { DebuginfoRetraceService } from './grouping/debuginfo-retrace.service';
import { RegroupProcessor } from './grouping/regroup.processor';
import { RegroupingRepository } from './grouping/regrouping.repository';
import { RegroupingService } from './grouping/regrouping.service';
import { ReprocessService } from './grouping/reprocess.service';
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
import { RawReportRepository } from './ingest/raw-report.repository';
import { ReportIntakeService } from './ingest/report-intake.service';
import { SenderCountryService } from './ingest/sender-country.service';
import { CrashProcessingService } from './processing/crash-processing.service';
import { CrashReportProcessor } from './processing/crash-report.processor';
import { ReportRecoveryService } from './processing/report-recovery.service';
import { AutoFilingRepository } from './qa/auto-filing.repository';
import { AutoFilingService } from './qa/auto-filing.service';
import { Clock } from './qa/clock';
import { JiraConnectionService } from './qa/jira-connection.service';
import { JiraSyncService } from './qa/jira-sync.service';
import { QaController } from './qa/qa.controller';
import { TicketFilingProcessor } from './qa/ticket-filing.processor';
import { TicketRepository } from './qa/ticket.repository';
import { TicketService } from './qa/ticket.service';
import { TriageRepository } from './qa/triage.repository';
import { TriageService } from './qa/triage.service';
import { QueueModule } from './queue/queue.module';
import { AcceptedContentGuard } from './ingest/accepted-content.guard';
import { FafErrorFilter } from './ingest/faf-error.filter';
import { IntakeErrorFilter } from './ingest/intake-error.filter';
import { ReportLinksController } from './ingest/report-links.controller';
import { CrashIdentityRepository } from './ingest/crash-identity.repository';
import { CrashIdentityService } from './ingest/crash-identity.service';
import { HubMetrics } from './metrics/hub-metrics.service';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsPublisher } from './metrics/metrics-publisher.service';
import { ProcessingAttemptService } from './processing/processing-attempt.service';
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
  /** The `reprocess` command: regrouping services without job consumers or HTTP. */
  reprocess?: boolean;
}

@Module({})
export class HubModule {
  static forRoot(config: HubConfig, databaseUrl: string, poolSize: number, roles: HubRoles): DynamicModule {
    const shared: Provider[] = [
      { provide: HUB_CONFIG, useValue: config },
      RawReportRepository,
      ReportIntakeService,
      CrashIdentityService,
      CrashIdentityRepository,
      CandidateRepository,
      CrashGroupingService,
      DebuginfoRetraceService,
      RegroupingRepository,
      RegroupingService,
      candidateSearchProvider,
      ReportIndexerService,
      HostRepository,
      FleetRollupRepository,
      HubMetrics,
      MetricsPublisher,
      ProcessingAttemptService,
      ArchiveWorkerPool,
      // The QA workflow files in the worker and previews in the API: both read candidates and raw stacks.
      CandidatesService,
      CandidateDetailRepository,
      CandidateHardwareRepository,
      CrashLinkService,
      CrashProcessingService,
      Clock,
      TicketRepository,
      TriageRepository,
      TriageService,
      JiraConnectionService,
      TicketService,
      JiraSyncService,
      AutoFilingRepository,
      AutoFilingService,
      ...accessSharedProviders,
    ];
    const api: Provider[] = [
      AttachmentService,
      ...accessApiProviders,
      SenderCountryService,
      FleetStatsService,
      HostsService,
      HostErasureRepository,
      AcceptedContentGuard,
      IntakeErrorFilter,
      FafErrorFilter,
      ConsoleService,
      AdminJiraService,
      ConsoleRepository,
      UploadSpoolService,
      RateLimitService,
      // After the access guard (registered above), so a refused credential never spends a quota.
      { provide: APP_GUARD, useClass: RateLimitGuard },
    ];
    const worker: Provider[] = [
      CrashReportProcessor,
      ReportRecoveryService,
      CepProcessingService,
      CepReportProcessor,
      CepRetentionService,
      FleetRollupRebuildService,
      TicketFilingProcessor,
      RegroupProcessor,
    ];
    const reprocess: Provider[] = [ReprocessService, ...(roles.worker ? [] : [CrashProcessingService, CrashLinkService])];
    return {
      module: HubModule,
      imports: [
        DatabaseModule.forRoot(databaseUrl, poolSize, config.migrationsRun),
        QueueModule.forRoot(config),
        TerminusModule,
        MulterModule.register({ limits: multipartLimits(config) }),
      ],
      controllers: roles.api
        ? [FafCompatController, CrashIngestController, CepIngestController, CandidatesController, FleetStatsController, FleetStatsPageController, HostsController, HealthController, ReportLinksController, MetricsController, QaController, ...accessControllers, ConsoleController, AdminConsoleController, ConsoleAssetsController]
        : [],
      providers: [...shared, ...(roles.api ? api : []), ...(roles.worker ? worker : []), ...(roles.reprocess ? reprocess : [])],
    };
  }
}
