import { BugCandidateEntity } from './bug-candidate.entity';
import { CandidateBucketEntity, CandidateHostEntity, CandidateSignatureEntity } from './candidate-lookup.entity';
import { CoreSymbolEntity } from './core-symbol.entity';
import { CrashReportEntity } from './crash-report.entity';
import { GroupingRuleEntity } from './grouping-rule.entity';
import { RawReportEntity } from './raw-report.entity';
import { ReportAttachmentEntity } from './report-attachment.entity';

export * from './bug-candidate.entity';
export * from './candidate-lookup.entity';
export * from './core-symbol.entity';
export * from './crash-report.entity';
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
];
