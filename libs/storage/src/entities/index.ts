import { ApiTokenEntity } from './api-token.entity';
import { AuditEventEntity } from './audit-event.entity';
import { RigKeyEntity } from './rig-key.entity';
import { UserAccountEntity } from './user-account.entity';
import { UserSessionEntity } from './user-session.entity';
import { BugCandidateEntity } from './bug-candidate.entity';
import { CandidateTicketEntity } from './candidate-ticket.entity';
import { CandidateTriageEntity } from './candidate-triage.entity';
import { JiraNoticeEntity } from './jira-notice.entity';
import { JiraSyncStateEntity } from './jira-sync-state.entity';
import { JiraTicketEntity } from './jira-ticket.entity';
import { TicketFilingEntity } from './ticket-filing.entity';
import { TriageLogEntity } from './triage-log.entity';
import { CepReportEntity } from './cep-report.entity';
import { CandidateAttributeHostsEntity, CandidateAttributeKnownEntity } from './candidate-attribute-hosts.entity';
import { CandidateDayCountEntity } from './candidate-day-count.entity';
import { CandidateVersionSeenEntity } from './candidate-version-seen.entity';
import { CandidateHostHardwareEntity } from './candidate-host-hardware.entity';
import { CandidateBucketEntity, CandidateHostEntity, CandidateSignatureEntity } from './candidate-lookup.entity';
import { CoreSymbolEntity } from './core-symbol.entity';
import { CrashHardwareEntity, HardwareAttributeEntity } from './crash-hardware.entity';
import { CrashReportEntity } from './crash-report.entity';
import { FleetDailyRollupEntity, FleetRollupStateEntity, HostActivityDayEntity } from './fleet-rollup.entity';
import { HostCollectorRecordEntity } from './host-collector-record.entity';
import { HostEntity } from './host.entity';
import { HostProfileEntity } from './host-profile.entity';
import { GroupingRuleEntity } from './grouping-rule.entity';
import { RawReportEntity } from './raw-report.entity';
import { ReportAttachmentEntity } from './report-attachment.entity';
import { RigRunCountEntity } from './rig-run-count.entity';

export * from './api-token.entity';
export * from './audit-event.entity';
export * from './rig-key.entity';
export * from './user-account.entity';
export * from './user-session.entity';
export * from './bug-candidate.entity';
export * from './candidate-attribute-hosts.entity';
export * from './candidate-day-count.entity';
export * from './candidate-version-seen.entity';
export * from './candidate-host-hardware.entity';
export * from './candidate-lookup.entity';
export * from './cep-report.entity';
export * from './core-symbol.entity';
export * from './crash-hardware.entity';
export * from './crash-report.entity';
export * from './fleet-rollup.entity';
export * from './host-collector-record.entity';
export * from './host.entity';
export * from './host-profile.entity';
export * from './grouping-rule.entity';
export * from './normalized-frame-record';
export * from './raw-report.entity';
export * from './report-attachment.entity';
export * from './rig-run-count.entity';
export * from './candidate-ticket.entity';
export * from './candidate-triage.entity';
export * from './jira-notice.entity';
export * from './jira-sync-state.entity';
export * from './jira-ticket.entity';
export * from './ticket-filing.entity';
export * from './triage-log.entity';

export const HUB_ENTITIES = [
  RawReportEntity,
  CrashReportEntity,
  BugCandidateEntity,
  CandidateSignatureEntity,
  CandidateBucketEntity,
  CandidateHostEntity,
  GroupingRuleEntity,
  ReportAttachmentEntity,
  CoreSymbolEntity,
  HostEntity,
  HostProfileEntity,
  HostCollectorRecordEntity,
  CepReportEntity,
  HostActivityDayEntity,
  FleetDailyRollupEntity,
  FleetRollupStateEntity,
  HardwareAttributeEntity,
  CrashHardwareEntity,
  CandidateDayCountEntity,
  CandidateVersionSeenEntity,
  CandidateAttributeHostsEntity,
  CandidateAttributeKnownEntity,
  CandidateHostHardwareEntity,
  RigRunCountEntity,
  CandidateTicketEntity,
  JiraTicketEntity,
  TicketFilingEntity,
  CandidateTriageEntity,
  TriageLogEntity,
  JiraNoticeEntity,
  JiraSyncStateEntity,
  UserAccountEntity,
  UserSessionEntity,
  ApiTokenEntity,
  RigKeyEntity,
  AuditEventEntity,
];
