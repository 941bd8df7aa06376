import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { CONSOLE_CSP, renderErrorPage } from '../../../../libs/console-pages/src';

/** Console routes answer errors as a page for people, with the same status the JSON API would give. */
@Catch(HttpException)
export class ConsoleErrorFilter implements ExceptionFilter {
  catch(error: HttpException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = error.getResponse();
    const message =
      typeof body === 'object' && body && 'message' in body
        ? [(body as { message: unknown }).message].flat().join('; ')
        : error.message;
    res
      .status(error.getStatus())
      .set({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CONSOLE_CSP, 'Cache-Control': 'no-store' })
      .send(renderErrorPage(error.getStatus(), message));
  }
}
