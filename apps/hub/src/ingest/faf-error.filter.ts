import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';

/** libreport reads `{"error": "..."}` from ABRT Analytics; keep that shape on the FAF routes. */
@Catch()
export class FafErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(FafErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      res.status(exception.getStatus()).json({ error: Array.isArray(message) ? message.join('; ') : String(message) });
      return;
    }
    this.logger.error(exception);
    res.status(503).json({ error: 'the hub could not store the report; try again later' });
  }
}
