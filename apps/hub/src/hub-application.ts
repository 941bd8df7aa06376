import { ConsoleLogger, INestApplication, Logger, INestApplicationContext, StandardSchemaValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { HubConfig } from '../../../libs/config/src';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../../../libs/storage/src/embedded-postgres';
import { AccountsService } from './access/accounts.service';
import { HubModule, HubRoles } from './hub.module';
import { SafeErrorFilter } from './errors/safe-error.filter';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { HubMetrics } from './metrics/hub-metrics.service';
import { cutStalledBodies } from './limits/stalled-body-timeout';
import { isStreamedUpload } from './limits/streamed-upload-paths';

const ARCHIVE_TYPES = [
  'application/gzip',
  'application/x-gzip',
  'application/x-xz',
  'application/x-bzip2',
  'application/x-tar',
  'application/octet-stream',
];

export interface RunningHub {
  app: INestApplication | INestApplicationContext;
  url?: string;
  close(): Promise<void>;
}

function logger(config: HubConfig): ConsoleLogger {
  const levels = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return new ConsoleLogger({
    json: config.log.format === 'json',
    logLevels: levels.slice(0, levels.indexOf(config.log.level) + 1) as unknown as Array<(typeof levels)[number]>,
  });
}

async function database(config: HubConfig): Promise<{ url: string; poolSize: number; embedded?: EmbeddedPostgres }> {
  if (config.database.kind === 'postgres') return { url: config.database.url, poolSize: config.database.poolSize };
  const embedded = await startEmbeddedPostgres(config.database.dataDir);
  return { url: embedded.url, poolSize: embedded.maxConnections, embedded };
}

/**
 * Printed once, on the start that creates the account (through the logger, so JSON logs stay one
 * object per line); only its argon2id hash is kept.
 */
async function bootstrapAdmin(accounts: AccountsService): Promise<void> {
  const created = await accounts.bootstrapAdmin();
  if (!created) return;
  new Logger('Access').warn(
    `First start: created admin account ${created.username} with the one-time password ${created.password} ; ` +
      `sign in at /sign-in and change it (hub users reset-password ${created.username}). It is not shown again.`,
  );
}

/**
 * Starts the hub in the given roles. The embedded database lives in this process, so with no
 * DATABASE_URL the API and the worker must run together.
 */
export async function startHub(config: HubConfig, roles: HubRoles): Promise<RunningHub> {
  if (config.database.kind === 'embedded' && !(roles.api && roles.worker) && !roles.reprocess) {
    throw new Error('HUB_ROLE: the embedded database needs api and worker in one process (HUB_ROLE=all) or a DATABASE_URL');
  }
  const db = await database(config);
  const module = HubModule.forRoot(config, db.url, db.poolSize, roles);
  if (!roles.api) {
    const ctx = await NestFactory.createApplicationContext(module, { logger: logger(config) });
    ctx.enableShutdownHooks();
    return { app: ctx, close: async () => { await ctx.close(); await db.embedded?.stop(); } };
  }
  const app = await NestFactory.create<NestExpressApplication>(module, { logger: logger(config), bodyParser: false });
  // Only listed proxies may supply the client address via X-Forwarded-For; req.ip is the socket peer otherwise.
  app.set('trust proxy', config.trustedProxies.length > 0 ? config.trustedProxies : false);
  app.use(httpMetricsMiddleware(app.get(HubMetrics)));
  app.useBodyParser('json', { limit: config.http.maxBodyBytes });
  app.useBodyParser('raw', {
    type: (req) => !isStreamedUpload(req) && ARCHIVE_TYPES.includes(String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()),
    limit: config.http.maxBodyBytes,
  });
  // Browser forms (sign-in, sign-out, the console's pages).
  app.useBodyParser('urlencoded', { extended: false, limit: '64kb' });
  app.useGlobalPipes(new StandardSchemaValidationPipe());
  app.useGlobalFilters(new SafeErrorFilter(app.getHttpAdapter(), config.ops.retryAfterSeconds, app.get(HubMetrics)));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Crash & CEP telemetry hub').setVersion('1').build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json' });
  if (config.access.bootstrapAdmin) await bootstrapAdmin(app.get(AccountsService));
  await app.listen(config.http.port, config.http.host);
  const server = app.getHttpServer() as import('node:http').Server;
  // Slow or stalled clients are cut: headers must arrive quickly, the whole request within
  // requestTimeout, and a body that stops arriving for idleMs (0 disables each).
  server.headersTimeout = config.timeouts.headersMs;
  server.requestTimeout = config.timeouts.requestMs;
  cutStalledBodies(server, config.timeouts.idleMs);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  return {
    app,
    url: `http://${config.http.host}:${port}`,
    close: async () => {
      await app.close();
      await db.embedded?.stop();
    },
  };
}
