/**
 * Issue 11, item 1: Ctrl-C of `npm start`. A terminal sends SIGINT to its whole foreground
 * process group, not to one process; the launcher must still stop the services first and
 * PostgreSQL last, exit 0, and print no error — no service may see its database go away.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '@wren/platform';
import { eventually, freePort, freePortRange, spawnTsEntry } from '@wren/testkit';
import { afterAll, expect, test } from 'vitest';

let dataDir: string | undefined;
let launcher: ChildProcess | undefined;

let postgresPid: number | undefined;

afterAll(async () => {
  // After a failure: nothing of this run may be left behind. The services stop by
  // themselves when the launcher dies; PostgreSQL is in a group of its own.
  if (launcher?.pid && launcher.exitCode === null) process.kill(-launcher.pid, 'SIGKILL');
  if (postgresPid && isProcessAlive(postgresPid)) process.kill(postgresPid, 'SIGINT');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('Ctrl-C (SIGINT to the process group) stops services, then PostgreSQL, with no error output', async () => {
  // As it comes from mkdtemp: 0700, which the postgres user (as root) must still get into.
  dataDir = await mkdtemp(join(tmpdir(), 'wren-ctrl-c-'));
  const [gateway, user, post, notification, postgres] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const { child, output, exited } = spawnTsEntry(
    'scripts/start.ts',
    {
      LOG_LEVEL: 'warn',
      WREN_DATA_DIR: dataDir,
      PORT: String(gateway),
      USER_SERVICE_PORT: String(user),
      POST_SERVICE_PORT: String(post),
      NOTIFICATION_SERVICE_PORT: String(notification),
      WREN_POSTGRES_PORT: String(postgres),
      WREN_ADMIN_PORT_BASE: String(await freePortRange(4)),
    },
    // Its own process group, standing for the terminal's foreground group.
    { detached: true },
  );
  launcher = child;

  await eventually(async () => output().includes('ready in'), 90_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output()}`);
  });
  const register = await fetch(`http://127.0.0.1:${gateway}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'ctrl_c', email: 'ctrl_c@example.com', password: 'correct horse battery' }),
  });
  expect(register.status).toBe(201);
  // As root, the launcher says how it let the postgres user into the private folder.
  if (process.getuid?.() === 0) expect(output()).toContain('(chmod o+x), so that PostgreSQL can reach its data');
  const pidFile = join(dataDir, 'postgres', 'pgdata', 'postmaster.pid');
  postgresPid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  expect(isProcessAlive(postgresPid)).toBe(true);

  const beforeStop = output().length;
  process.kill(-(child.pid as number), 'SIGINT');
  expect(await exited, output()).toBe(0);
  expect(output()).toContain('[wren] stopped');
  // No error from any service (pino levels 50 and 60), nor a lost database connection.
  expect(output()).not.toMatch(/"level":(50|60)/);
  // Stopped in order, nothing even warns on the way down (a backend gone too early would).
  expect(output().slice(beforeStop)).not.toMatch(/"level":40/);
  expect(output()).not.toMatch(/FATAL|terminating connection|database connection lost|unhandled/i);
  expect(isProcessAlive(postgresPid)).toBe(false);
}, 180_000);
