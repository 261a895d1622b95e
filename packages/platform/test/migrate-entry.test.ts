/**
 * The migration-only entry points (what compose's one-shot steps and the Kubernetes Jobs
 * run): migrate a fresh database and exit 0; refuse a missing DATABASE_URL with exit 1.
 */
import { join } from 'node:path';
import { createTestDatabase, spawnTsEntry } from '@wren/testkit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

async function runMigrate(
  service: string,
  env: Record<string, string>,
): Promise<{ code: number | string; output: string }> {
  const run = spawnTsEntry(join('services', service, 'src', 'migrate.ts'), { LOG_LEVEL: 'info', ...env });
  const code = await run.exited;
  return { code, output: run.output() };
}

describe.each([
  ['user-service', 'users'],
  ['post-service', 'home_feed'],
  ['notification-service', 'push_deliveries'],
])('%s migrate.ts', (service, table) => {
  it('migrates a fresh database to the latest schema and exits 0; a second run changes nothing', async () => {
    const url = await createTestDatabase(`${table}_migrate`);
    const first = await runMigrate(service, { DATABASE_URL: url });
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('database is at the latest migration');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT to_regclass($1) AS found', [table]);
      expect(rows[0]?.found).toBe(table);
    } finally {
      await client.end();
    }
    const second = await runMigrate(service, { DATABASE_URL: url });
    expect(second.code).toBe(0);
    expect(second.output).not.toContain('migration applied');
  });

  it('exits 1 naming DATABASE_URL when it is missing', async () => {
    const run = await runMigrate(service, {});
    expect(run.code).toBe(1);
    expect(run.output).toContain('DATABASE_URL is required');
  });
});
