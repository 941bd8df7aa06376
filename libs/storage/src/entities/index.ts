import { ApiTokenEntity, AuditEventEntity, RigKeyEntity, UserAccountEntity, UserSessionEntity } from './access.entity';
import { BugCandidateEntity } from './bug-candidate.entity';
import { CepReportEntity } from './cep-report.entity';
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

export * from './access.entity';
export * from './bug-candidate.entity';
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
  UserAccountEntity,
  UserSessionEntity,
  ApiTokenEntity,
  RigKeyEntity,
  AuditEventEntity,
];
