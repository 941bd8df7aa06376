import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { JiraError } from '../../../../libs/jira-client/src';

/**
 * Jira's refusal reaches the caller with Jira's own words: an unknown issue is 404, a refused
 * field 422, Jira down or rate-limiting 503, the hub's credentials refused 502 (not the caller's fault).
 */
@Catch(JiraError)
export class JiraErrorFilter implements ExceptionFilter {
  catch(error: JiraError, host: ArgumentsHost): void {
    const status = error.status === 404 ? 404 : error.status === 400 ? 422 : error.transient ? 503 : 502;
    const res = host.switchToHttp().getResponse<Response>();
    if (error.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
    res.status(status).json({ statusCode: status, message: error.message, jira: { status: error.status, errorMessages: error.errorMessages, errors: error.errors } });
  }
}
