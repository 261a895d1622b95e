/**
 * What the chaos run stands on: a PostgreSQL of its own (embedded, in a temporary folder,
 * so that it can be restarted without touching anyone else's), the four processes as real
 * OS processes on it, and a Web Push receiver. Faults act through the handles here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, ensureDatabase } from '@wren/platform';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@wren/platform/embedded-postgres';
import { freePort } from '@wren/testkit';
import { type Fleet, type FleetDatabases, startFleet } from '@wren/testkit/process-fleet';
import { startWebPushReceiver, type WebPushReceiver } from '@wren/testkit/push';
import pg from 'pg';

export interface ChaosEnvironment {
  fleet: Fleet;
  databases: FleetDatabases;
  receiver: WebPushReceiver;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  /** Ends every connection the services hold (pg_terminate_backend); how many. */
  terminateConnections(): Promise<number>;
  query<T extends pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startEnvironment(): Promise<ChaosEnvironment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wren-chaos-pg-'));
  const port = await freePort();
  const startPg = () => startEmbeddedPostgres({ dataDir, port, ephemeral: true });
  let postgres: EmbeddedPostgres | undefined = await startPg();
  const adminUrl = postgres.adminUrl;
  const names = { users: 'chaos_users', posts: 'chaos_posts', notifications: 'chaos_notifications' };
  for (const name of Object.values(names)) await ensureDatabase(adminUrl, name);
  const databases: FleetDatabases = {
    users: databaseUrl(adminUrl, names.users),
    posts: databaseUrl(adminUrl, names.posts),
    notifications: databaseUrl(adminUrl, names.notifications),
  };
  const query = async <T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const receiver = await startWebPushReceiver();
  let fleet: Fleet;
  try {
    fleet = await startFleet({ databases, env: { LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn' } });
  } catch (error) {
    await receiver.close();
    await postgres.stop();
    throw error;
  }
  return {
    fleet,
    databases,
    receiver,
    async stopPostgres() {
      await postgres?.stop();
      postgres = undefined;
    },
    async startPostgres() {
      postgres = await startPg();
    },
    async terminateConnections() {
      const rows = await query<{ pid: number }>(
        adminUrl,
        `SELECT pg_terminate_backend(pid) AS terminated, pid FROM pg_stat_activity
          WHERE datname = ANY($1) AND pid <> pg_backend_pid()`,
        [Object.values(names)],
      );
      return rows.length;
    },
    query,
    async close() {
      await fleet.stop();
      await receiver.close();
      await postgres?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
