import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { consoleStylesheet, htmxScript } from '../../../../libs/console-pages/src';
import { Access } from '../access/access-policy';

/** The console's stylesheet and htmx, from the hub's own origin (read once). */
@ApiExcludeController()
@Controller('assets')
@Access('public')
export class ConsoleAssetsController {
  private readonly css = consoleStylesheet();
  private readonly htmx = htmxScript();

  @Get('console.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  stylesheet(): string {
    return this.css;
  }

  @Get('htmx.min.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=86400')
  script(): string {
    return this.htmx;
  }
}
