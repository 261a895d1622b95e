import { randomBytes } from 'node:crypto';
import { databaseUrl, ensureDatabase } from '@wren/platform';
import { inject } from 'vitest';

/** A new, empty database on the test PostgreSQL server; its URL. */
export async function createTestDatabase(label: string): Promise<string> {
  const server = inject('postgresServerUrl');
  const name = `t_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(server, name);
  return databaseUrl(server, name);
}
