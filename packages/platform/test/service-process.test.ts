import { createClientPool } from '@wren/platform';
import { createTestDatabase, eventually, freePort, spawnService } from '@wren/testkit';
import { vapidEnv } from '@wren/testkit/push';
import { HealthDefinition } from 'nice-grpc-server-health';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const clients = createClientPool({ defaultDeadlineMs: 1000 });
afterAll(() => clients.close());

// The lifecycle every service shares (config check, migrate, health, SIGTERM drain), seen
// from outside through the real entry points of the two services that use it unchanged.
const extraEnv: Record<string, Record<string, string>> = { 'notification-service': vapidEnv() };

describe.each([
  ['post-service', 'posts'],
  ['notification-service', 'notifications'],
])('%s process', (name, table) => {
  it('refuses to start without its configuration, naming each missing variable', async () => {
    const service = spawnService(name, { GRPC_PORT: 'abc' });
    expect(await service.exited).toBe(1);
    expect(service.output()).toContain('DATABASE_URL is required');
    expect(service.output()).toContain('USER_SERVICE_ADDR is required');
    expect(service.output()).toContain('GRPC_PORT must be an integer (got "abc")');
  });

  it('migrates its database, serves health, and exits 0 on SIGTERM', async () => {
    const databaseUrl = await createTestDatabase(`${table}_process`);
    const port = await freePort();
    const service = spawnService(name, {
      DATABASE_URL: databaseUrl,
      USER_SERVICE_ADDR: '127.0.0.1:1',
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(port),
      ...extraEnv[name],
    });
    const health = clients.client(HealthDefinition, `127.0.0.1:${port}`);
    await eventually(async () => (await health.check({ service: '' })).status === 1);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const tables = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    await client.end();
    expect(tables.rows.map((row) => row.tablename)).toContain(table);

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.output()).toContain('"msg":"stopped"');
  });
});
