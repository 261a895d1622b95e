/**
 * The entry point of a migration-only run (a Kubernetes Job, compose's one-shot step):
 * reads DATABASE_URL and LOG_LEVEL, migrates, exits 0 — or 1 with the reason.
 */
import type { Kysely } from 'kysely';
import { readConfig } from '../config.js';
import { createLogger, LOG_LEVELS } from '../logger.js';
import { type Migrations, migrateToLatest } from './migrate.js';
import { createDatabase } from './pool.js';

export function runMigrations(service: string, migrations: Migrations): void {
  void (async () => {
    let config: { databaseUrl: string; logLevel: (typeof LOG_LEVELS)[number] };
    try {
      config = readConfig((env) => ({
        databaseUrl: env.url('DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
        logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, { default: 'info' }),
      }));
    } catch (error) {
      console.error(`[${service} migrate] ${(error as Error).message}`);
      process.exit(1);
    }
    const logger = createLogger(`${service}-migrate`, config.logLevel);
    const database = createDatabase({
      url: config.databaseUrl,
      max: 1,
      applicationName: `${service}-migrate`,
      logger,
    });
    try {
      await migrateToLatest(database.db as Kysely<unknown>, migrations, logger);
      logger.info('database is at the latest migration');
      await database.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'migration failed');
      await database.close().catch(() => {});
      process.exit(1);
    }
  })();
}
