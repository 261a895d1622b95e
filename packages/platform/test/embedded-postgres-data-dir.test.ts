/**
 * Issue 11, item 3: as root (as CI and `npm start` in a container run), the embedded server
 * runs as the `postgres` user and must reach its data under folders that `mktemp -d` made
 * 0700 for root. It starts and accepts connections there; a folder in the way that is not
 * ours is named in the error, with what to change.
 */
import { chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@wren/platform/embedded-postgres';
import { freePort } from '@wren/testkit';
import pg from 'pg';
import { afterEach, expect, test } from 'vitest';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function privateTemp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wren-pg-dir-'));
  made.push(dir);
  expect((await stat(dir)).mode & 0o777).toBe(0o700);
  return dir;
}

async function acceptsConnections(dataDir: string): Promise<void> {
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true });
  try {
    const client = new pg.Client({ connectionString: postgres.adminUrl });
    await client.connect();
    const { rows } = await client.query<{ ok: number }>('SELECT 1 AS ok');
    await client.end();
    expect(rows).toEqual([{ ok: 1 }]);
  } finally {
    await postgres.stop();
  }
}

test('starts under a 0700 folder from mkdtemp, as npm start lays it out (WREN_DATA_DIR/postgres)', async () => {
  await acceptsConnections(join(await privateTemp(), 'postgres'));
}, 60_000);

test('starts several private folders deep', async () => {
  const nested = join(await privateTemp(), 'a', 'b');
  await mkdir(nested, { recursive: true, mode: 0o700 });
  await acceptsConnections(join(nested, 'postgres'));
}, 60_000);

// Only root hands a folder to another user; CI runs as root.
test.runIf(process.getuid?.() === 0)('names a folder in the way that is not ours, and what to change', async () => {
  const blocking = join(await privateTemp(), 'theirs');
  await mkdir(blocking, { mode: 0o700 });
  await chown(blocking, 65534, 65534);
  await expect(startEmbeddedPostgres({ dataDir: join(blocking, 'postgres'), port: await freePort() })).rejects.toThrow(
    `cannot pass through ${blocking}, which is not yours to change: run \`chmod o+x ${blocking}\``,
  );
});
