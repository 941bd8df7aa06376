import { ArgumentsHost, Catch, HttpException, HttpServer, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { describeError, isUnavailableError } from '../../../../libs/observability/src/error-description';
import { refusalReason } from '../../../../libs/observability/src/report-outcomes';
import { isIntakeRequest } from '../ingest/intake-error-mapping';
import { HubMetrics } from '../metrics/hub-metrics.service';

/**
 * Every route outside the intake doors (which map their own errors), and what fails before
 * routing: HTTP errors as Nest answers them (counted as refusals on an intake path); anything else is logged without its payload (Nest's default logs the raw message, which
 * for a failed query echoes the offending value) and answered 503 + Retry-After when the database
 * or queue is away, 500 otherwise.
 */
@Catch()
export class SafeErrorFilter extends BaseExceptionFilter {
  private readonly log = new Logger('HttpError');

  constructor(
    httpAdapter: HttpServer,
    private readonly retryAfterSeconds: number,
    private readonly metrics: HubMetrics,
  ) {
    super(httpAdapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    const req = host.switchToHttp().getRequest<Request>();
    if (exception instanceof HttpException) {
      // Refused by a body parser before any door saw it: still a report's fate.
      if (isIntakeRequest(req.method, req.path)) this.metrics.outcome('refused', { reason: refusalReason(exception.getStatus()) });
      return super.catch(exception, host);
    }
    const res = host.switchToHttp().getResponse<Response>();
    const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
    this.log.error({ msg: 'request failed', route, method: req.method, error: describeError(exception) });
    if (res.headersSent) return;
    if (isUnavailableError(exception)) {
      res.setHeader('Retry-After', String(this.retryAfterSeconds));
      res.status(503).json({ statusCode: 503, message: `the hub's database or queue is unavailable; retry after ${this.retryAfterSeconds} s`, error: 'Service Unavailable' });
      return;
    }
    res.status(500).json({ statusCode: 500, message: 'Internal server error' });
  }
}
