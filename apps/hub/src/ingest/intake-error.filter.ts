import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { HubMetrics } from '../metrics/hub-metrics.service';
import { mapIntakeError, MappedIntakeError } from './intake-error-mapping';

/** Maps, counts and logs one refusal; the subclasses only choose the body's shape. */
@Injectable()
export abstract class IntakeRefusalFilter implements ExceptionFilter {
  private readonly logger = new Logger('IntakeRefusal');

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly metrics: HubMetrics,
  ) {}

  protected abstract body(mapped: MappedIntakeError): unknown;

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const mapped = mapIntakeError(exception, this.config.ops.retryAfterSeconds);
    this.metrics.outcome('refused', { reason: mapped.reason });
    // Route pattern only: the URL may carry a client's name for its upload, never logged.
    const route = (req.route as { path?: string } | undefined)?.path ?? 'unknown';
    if (mapped.logLine) this.logger.error({ msg: 'report not stored', route, status: mapped.status, reason: mapped.reason, error: mapped.logLine });
    if (mapped.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(mapped.retryAfterSeconds));
    res.status(mapped.status).json(this.body(mapped));
  }
}

/** Native doors answer in Nest's shape: `{statusCode, message, error}`. */
@Catch()
@Injectable()
export class IntakeErrorFilter extends IntakeRefusalFilter {
  protected body(mapped: MappedIntakeError): unknown {
    const error = (HttpStatus[mapped.status] ?? 'Error').split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join(' ');
    return { statusCode: mapped.status, message: mapped.message, error };
  }
}
