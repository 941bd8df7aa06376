import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONSOLE_CSP, renderErrorPage } from '../../../../libs/console-pages/src';

/** Console routes answer errors as a page for people, with the same status the JSON API would give; anonymous reads go to sign in. */
@Catch(HttpException)
export class ConsoleErrorFilter implements ExceptionFilter {
  catch(error: HttpException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    // Someone not signed in who opens a console page is sent to sign in, and back here afterwards.
    if (error.getStatus() === HttpStatus.UNAUTHORIZED && req.method === 'GET' && !req.get('authorization')) {
      res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
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
