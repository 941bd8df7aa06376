import { CrashPipeline1795552206059 } from './1795552206059-CrashPipeline';
import { CoreSymbols1795553950903 } from './1795553950903-CoreSymbols';
import { BoundedBuckets1795554604428 } from './1795554604428-BoundedBuckets';
import { HostProfiles1795555801123 } from './1795555801123-HostProfiles';
import { RollupWindow1795556381582 } from './1795556381582-RollupWindow';
import { CrashHardware1795560629800 } from './1795560629800-CrashHardware';
import { CandidateHostAttributes1795565118696 } from './1795565118696-CandidateHostAttributes';
import { CrashIdentity1796412173402 } from './1796412173402-CrashIdentity';
import { AccessControl1796411832674 } from './1796411832674-AccessControl';
import { QaWorkflow1796412055280 } from './1796412055280-QaWorkflow';
import { GroupingInput1796412798438 } from './1796412798438-GroupingInput';
import { InputBounds1796412627711 } from './1796412627711-InputBounds';
import { CandidateCounts1796422990615 } from './1796422990615-CandidateCounts';
import { HardwareGroups1796423296559 } from './1796423296559-HardwareGroups';
import { AttributeHosts1796423865625 } from './1796423865625-AttributeHosts';
import { VersionSeen1796424182623 } from './1796424182623-VersionSeen';
import { CandidateDayIndex1796424650748 } from './1796424650748-CandidateDayIndex';

/** Applied in order at start (MIGRATIONS_RUN); generated with `npm run migration:generate`. */
export const HUB_MIGRATIONS = [
  CrashPipeline1795552206059, CoreSymbols1795553950903, BoundedBuckets1795554604428, HostProfiles1795555801123,
  RollupWindow1795556381582, CrashHardware1795560629800, CandidateHostAttributes1795565118696,
  AccessControl1796411832674, QaWorkflow1796412055280, CrashIdentity1796412173402, InputBounds1796412627711,
  GroupingInput1796412798438, CandidateCounts1796422990615, HardwareGroups1796423296559, AttributeHosts1796423865625,
  VersionSeen1796424182623, CandidateDayIndex1796424650748,
];
