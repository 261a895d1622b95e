/**
 * Issue 11, item 1, at its root: a pooled connection that the server ends (here with
 * pg_terminate_backend; a restart does the same to all of them) is an 'error' event, which
 * unhandled would end the process. Idle or checked out, it is logged and replaced.
 */
import { createDatabase, type Database } from '@wren/platform';
import { createTestDatabase, eventually } from '@wren/testkit';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';

let url: string;
let database: Database<unknown>;
const warnings: string[] = [];

beforeAll(async () => {
  url = await createTestDatabase('pool_loss');
  database = createDatabase({
    url,
    max: 2,
    applicationName: 'pool-loss-test',
    logger: { warn: (_fields: unknown, message: string) => warnings.push(message) } as never,
  });
});
afterAll(async () => {
  await database?.close();
});

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

const backendPid = async (query: (text: string) => Promise<pg.QueryResult<{ pid: number }>>) =>
  ((await query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;

test('an idle pooled connection ended by the server is logged and replaced', async () => {
  const pid = await backendPid((text) => database.pool.query(text));
  expect(database.pool.idleCount).toBe(1);
  await terminate(pid);
  await eventually(async () => warnings.includes('database connection lost; it will be replaced'), 5000);
  const next = await backendPid((text) => database.pool.query(text));
  expect(next).not.toBe(pid);
});

test('a checked-out connection ended between two statements: the next fails, the pool recovers', async () => {
  const client = await database.pool.connect();
  const pid = await backendPid((text) => client.query(text));
  await terminate(pid);
  await eventually(async () => warnings.includes('database connection lost while in use'), 5000);
  await expect(client.query('SELECT 1')).rejects.toThrow();
  client.release();
  const next = await backendPid((text) => database.pool.query(text));
  expect(next).not.toBe(pid);
});
