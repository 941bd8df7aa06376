import { applyDecorators, Header } from '@nestjs/common';
import { CONSOLE_CSP } from '../../../../libs/console-pages/src';

/** A handler answering a console page: HTML under the console's CSP, never cached (pages name who is looking). */
export const ConsolePage = (): MethodDecorator => applyDecorators(
  Header('Content-Type', 'text/html; charset=utf-8'),
  Header('Content-Security-Policy', CONSOLE_CSP),
  Header('Cache-Control', 'no-store'),
);
