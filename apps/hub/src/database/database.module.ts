import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { hubDataSourceOptions } from '../../../../libs/storage/src/database-options';
import { SafeTypeOrmLogger } from './safe-typeorm.logger';

/** TypeORM on PostgreSQL (real, or embedded PGlite behind its socket); migrations run at start. */
@Module({})
export class DatabaseModule {
  static forRoot(url: string, poolSize: number, migrationsRun: boolean): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [TypeOrmModule.forRoot({ ...hubDataSourceOptions(url, poolSize), migrationsRun, logging: ['error', 'warn', 'migration'], logger: new SafeTypeOrmLogger() })],
    };
  }
}
