import { type Kysely, type Migration, Migrator } from 'kysely';
import type { Logger } from '../logger.js';

export type Migrations = Record<string, Migration>;

/**
 * Applies the service's migrations in name order. Names are timestamps
 * (`2026-11-25T1200-create-users`), migrations are append-only, and Kysely's lock table
 * makes concurrent runs (several replicas starting at once) safe.
 */
export async function migrateToLatest(db: Kysely<unknown>, migrations: Migrations, log: Logger): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') log.info({ migration: result.migrationName }, 'migration applied');
    if (result.status === 'Error') log.error({ migration: result.migrationName }, 'migration failed');
  }
  if (error) throw error;
}
