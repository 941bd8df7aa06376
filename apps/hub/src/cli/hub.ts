#!/usr/bin/env node
import 'reflect-metadata';
import { HttpException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigError, loadHubConfig } from '../../../../libs/config/src';
import { hubDataSourceOptions } from '../../../../libs/storage/src/database-options';
import { startEmbeddedPostgres } from '../../../../libs/storage/src/embedded-postgres';
import { hubCommand, UsageError } from '../access/users-command';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The operator's CLI: accounts and rig keys, on the hub's own database. */
async function main(): Promise<number> {
  const config = loadHubConfig();
  const embedded = config.database.kind === 'embedded' ? await startEmbeddedPostgres(config.database.dataDir) : undefined;
  const url = config.database.kind === 'postgres' ? config.database.url : embedded!.url;
  const dataSource = await new DataSource({ ...hubDataSourceOptions(url, 2), migrationsRun: config.migrationsRun }).initialize();
  try {
    await hubCommand(dataSource, process.argv.slice(2), (line) => process.stdout.write(`${line}\n`), readStdin);
    return 0;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const known = error instanceof UsageError || error instanceof ConfigError || error instanceof HttpException;
    console.error(known ? error.message : error);
    process.exit(known && error instanceof UsageError ? 2 : 1);
  },
);
