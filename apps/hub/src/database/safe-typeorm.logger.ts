import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { describeError } from '../../../../libs/observability/src/error-description';

const MAX_SQL = 500;

/**
 * TypeORM's own loggers print a failed query's parameters: whole payloads as byte arrays, host ids.
 * This one logs the SQL text (parameters are placeholders in it) and the redacted error only.
 */
export class SafeTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.error({ msg: 'query failed', error: describeError(error), query: sqlOnly(query) });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ msg: 'slow query', ms: time, query: sqlOnly(query) });
  }

  logSchemaBuild(message: string): void {
    this.logger.debug?.(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : describeError(message);
    if (level === 'warn') this.logger.warn(text);
    else this.logger.log(text);
  }
}

function sqlOnly(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SQL ? `${flat.slice(0, MAX_SQL)}…` : flat;
}
