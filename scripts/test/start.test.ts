/**
 * `npm start` as a user runs it: a real launcher process with its own embedded PostgreSQL
 * in a temporary data directory. Data survives a restart, and a launcher killed with
 * SIGKILL (leaving PostgreSQL running) does not stop the next start.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort, freePortRange, spawnTsEntry, type WatchedProcess } from '@wren/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Launcher = WatchedProcess;

function launch(env: Record<string, string>): Launcher {
  return spawnTsEntry('scripts/start.ts', { LOG_LEVEL: 'warn', ...env });
}

describe('npm start', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let api: string;

  beforeAll(async () => {
    // As mkdtemp makes it (0700): as root, npm start lets the postgres user in by itself.
    dataDir = await mkdtemp(join(tmpdir(), 'wren-start-'));
    const [gateway, user, post, notification, postgres] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    env = {
      WREN_DATA_DIR: dataDir,
      PORT: String(gateway),
      USER_SERVICE_PORT: String(user),
      POST_SERVICE_PORT: String(post),
      NOTIFICATION_SERVICE_PORT: String(notification),
      WREN_POSTGRES_PORT: String(postgres),
      WREN_ADMIN_PORT_BASE: String(await freePortRange(4)),
    };
    api = `http://127.0.0.1:${gateway}/v1`;
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const register = (username: string) =>
    fetch(`${api}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, email: `${username}@example.com`, password: 'correct horse battery' }),
    });
  const login = (username: string) =>
    fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: username, password: 'correct horse battery' }),
    });

  it('starts, serves, and stops cleanly on SIGINT', async () => {
    const launcher = launch(env);
    // The last line of the start-up message: the lines may arrive in separate reads.
    await eventually(async () => launcher.output().includes('Ctrl-C stops everything'), 90_000);
    expect(launcher.output()).toContain(`API docs: http://localhost:${env.PORT}/docs`);
    expect((await register('first_run')).status).toBe(201);

    launcher.child.kill('SIGINT');
    expect(await launcher.exited).toBe(0);
    expect(launcher.output()).toContain('[wren] stopped');
  }, 120_000);

  it('keeps data between runs, and recovers from a launcher killed with SIGKILL', async () => {
    const crashed = launch(env);
    await eventually(async () => crashed.output().includes('ready in'), 90_000);
    expect((await login('first_run')).status).toBe(200);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    // The orphaned services notice their launcher is gone (IPC channel closed) and stop;
    // the orphaned PostgreSQL stays for the next launcher to deal with.
    await eventually(
      () =>
        fetch(`${api.replace('/v1', '')}/healthz`).then(
          () => false,
          () => true,
        ),
      20_000,
    );

    const next = launch(env);
    await eventually(async () => next.output().includes('ready in'), 90_000);
    expect((await login('first_run')).status).toBe(200);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 240_000);
});
