import { Catch, Injectable } from '@nestjs/common';
import { IntakeRefusalFilter } from './intake-error.filter';
import type { MappedIntakeError } from './intake-error-mapping';

/** libreport reads `{"error": "..."}` from ABRT Analytics; the FAF doors keep that shape (same mapping as every door). */
@Catch()
@Injectable()
export class FafErrorFilter extends IntakeRefusalFilter {
  protected body(mapped: MappedIntakeError): unknown {
    return { error: mapped.message };
  }
}
