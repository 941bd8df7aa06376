import { HttpException } from '@nestjs/common';
import { describeError, isUnavailableError } from '../../../../libs/observability/src/error-description';
import { refusalReason } from '../../../../libs/observability/src/report-outcomes';

/**
 * Paths of the intake doors, for refusals that happen before routing (a body parser refusing
 * malformed JSON or a body over MAX_BODY_BYTES), when no door's filter is involved yet.
 */
const INTAKE_PATHS = [/^\/reports\/(new|attach)\/?$/, /^\/api\/v1\/(crash-reports|crash-archives|cep-reports)\/?$/, /^\/upload\/[^/]+$/];

export function isIntakeRequest(method: string, path: string): boolean {
  return (method === 'POST' || method === 'PUT') && INTAKE_PATHS.some((p) => p.test(path));
}

export interface MappedIntakeError {
  status: number;
  message: string;
  /** Outcome label of the refusal. */
  reason: string;
  /** Set on 503: when the client should try again. */
  retryAfterSeconds?: number;
  /** Not the client's fault: worth an error log line (without payload). */
  logLine?: string;
}

function httpMessage(exception: HttpException): string {
  const body = exception.getResponse();
  const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
  return Array.isArray(message) ? message.join('; ') : String(message);
}

/**
 * One mapping for every intake door. A door fails without an HTTP error only when storing the
 * report failed (database or queue away, or a fault of the hub): nothing was stored, so the
 * client is told to retry later (503 + Retry-After), and its report id keeps the retry idempotent.
 */
export function mapIntakeError(exception: unknown, retryAfterSeconds: number): MappedIntakeError {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return {
      status,
      message: httpMessage(exception),
      reason: refusalReason(status, (exception as { reason?: unknown }).reason),
      ...(status === 503 ? { retryAfterSeconds } : {}),
    };
  }
  const unavailable = isUnavailableError(exception);
  return {
    status: 503,
    message: unavailable
      ? `the hub cannot store reports right now (database or queue unavailable); retry after ${retryAfterSeconds} s`
      : `the hub could not store the report; retry after ${retryAfterSeconds} s`,
    reason: unavailable ? 'unavailable' : 'internal-error',
    retryAfterSeconds,
    logLine: describeError(exception),
  };
}
