/**
 * Issue 11, item 1: the four processes, as real OS processes, on a PostgreSQL of this
 * suite's own that it restarts (stop, start on the same data and port) and whose
 * connections it terminates. No process dies; while the database is away, requests fail
 * fast with 503 problem+json and /readyz says not ready; once it is back, everything serves
 * again — reads, writes, and events through the outboxes — without restarting anything.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, ensureDatabase } from '@wren/platform';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@wren/platform/embedded-postgres';
import { eventually, freePort } from '@wren/testkit';
import { type Fleet, startFleet } from '@wren/testkit/process-fleet';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerUser, type SignedInUser } from './support/api.js';
import { send } from './support/harness.js';
import { expectProblem } from './support/problems.js';

let dataDir: string;
let port: number;
let postgres: EmbeddedPostgres;
let fleet: Fleet;
let gateway: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wren-pg-restart-'));
  port = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir, port, ephemeral: true });
  const names = { users: 'wren_users', posts: 'wren_posts', notifications: 'wren_notifications' };
  for (const name of Object.values(names)) await ensureDatabase(postgres.adminUrl, name);
  fleet = await startFleet({
    databases: {
      users: databaseUrl(postgres.adminUrl, names.users),
      posts: databaseUrl(postgres.adminUrl, names.posts),
      notifications: databaseUrl(postgres.adminUrl, names.notifications),
    },
  });
  gateway = fleet.gatewayUrls[0] as string;
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await postgres?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const token = (user: SignedInUser) => user.tokens.accessToken;

function expectAllAlive(): void {
  for (const instance of fleet.instances) {
    expect(instance.current.child.exitCode, `${instance.name} exited:\n${fleet.output()}`).toBeNull();
    expect(instance.current.child.signalCode, `${instance.name} was killed:\n${fleet.output()}`).toBeNull();
  }
}

/** `follower` follows `followed`, and the follow reaches `followed`'s notifications (user-service's outbox). */
async function followIsNotified(follower: SignedInUser, followed: SignedInUser): Promise<void> {
  const followed200 = await send(gateway, `/v1/users/${followed.username}/follow`, {
    method: 'PUT',
    token: token(follower),
  });
  expect(followed200.status, await followed200.clone().text()).toBe(200);
  await eventually(async () => {
    const response = await send(gateway, '/v1/notifications', { token: token(followed) });
    const { items } = (await response.json()) as { items: { type: string; actors?: { username: string }[] }[] };
    return items.some((item) => item.type === 'follow' && JSON.stringify(item).includes(follower.username));
  }, 20_000);
}

/** A post by `author` reaches `reader`'s home timeline, and `author` can read it back. */
async function postIsRead(author: SignedInUser, reader: SignedInUser, text: string): Promise<void> {
  const created = await send(gateway, '/v1/posts', { method: 'POST', token: token(author), json: { text } });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await send(gateway, `/v1/posts/${id}`, { token: token(author) })).status).toBe(200);
  await eventually(async () => {
    const response = await send(gateway, '/v1/timelines/home', { token: token(reader) });
    return (await response.text()).includes(id);
  }, 20_000);
}

/** What clients and probes see while the database is stopped; the processes stay up. */
async function duringOutage(ana: SignedInUser, ben: SignedInUser): Promise<void> {
  // Reads and writes of each service fail fast, as problems, not as hangs or 500s.
  const outage = [
    send(gateway, '/v1/me', { token: token(ana) }),
    send(gateway, '/v1/posts', { method: 'POST', token: token(ana), json: { text: 'while away' } }),
    send(gateway, '/v1/timelines/home', { token: token(ana) }),
    send(gateway, '/v1/notifications', { token: token(ben) }),
  ];
  const started = Date.now();
  for (const request of outage) await expectProblem(await request, 503, 'service-unavailable');
  const answeredMs = Date.now() - started;
  console.log(`four requests answered 503 within ${answeredMs} ms of PostgreSQL stopping`);
  expect(answeredMs).toBeLessThan(5000);
  // Each service's probe notices within about a second; the gateway's /readyz says so.
  const notReady = await eventually(async () => {
    const response = await fetch(`${gateway}/readyz`);
    const body = (await response.json()) as { services?: Record<string, string> };
    return Object.values(body.services ?? {}).every((status) => status === 'NOT_SERVING') && { response, body };
  }, 5000);
  expect(notReady.response.status).toBe(503);
  expect(notReady.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Object.keys(notReady.body.services ?? {}).sort()).toEqual([
    'notification-service',
    'post-service',
    'user-service',
  ]);
  // Long enough for every idle pooled connection, the relays' and the LISTEN sessions to
  // have noticed, and for the relays and the push worker to have failed a few times.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expectAllAlive();
}

test('a PostgreSQL restart: 503 fast and not ready while it is away, then everything serves again', async () => {
  const ana = await registerUser(gateway, 'pgr_ana');
  const ben = await registerUser(gateway, 'pgr_ben');
  await followIsNotified(ana, ben);

  await postgres.stop();
  try {
    await duringOutage(ana, ben);
  } finally {
    // Even when the outage went wrong, so that the next test has a database.
    postgres = await startEmbeddedPostgres({ dataDir, port, ephemeral: true });
  }
  const back = Date.now();
  await eventually(async () => (await fetch(`${gateway}/readyz`)).ok, 10_000);
  const readyAfterMs = Date.now() - back;
  await eventually(async () => (await send(gateway, '/v1/me', { token: token(ana) })).ok, 5000);
  console.log(`serving ${readyAfterMs} ms after PostgreSQL was back (ready), /v1/me ${Date.now() - back} ms`);

  const cy = await registerUser(gateway, 'pgr_cy');
  await followIsNotified(cy, ana);
  await followIsNotified(ben, cy);
  await postIsRead(ben, ana, 'after the restart');
  expectAllAlive();
}, 120_000);

test('pg_terminate_backend of every connection of each service: each survives and serves', async () => {
  const dee = await registerUser(gateway, 'pgt_dee');
  const eli = await registerUser(gateway, 'pgt_eli');
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ application_name: string; terminated: boolean }>(
      `SELECT application_name, pg_terminate_backend(pid) AS terminated
         FROM pg_stat_activity
        WHERE application_name = ANY($1)`,
      [['user-service', 'post-service', 'notification-service']],
    );
    // Each service had connections open (pool, relay session, LISTEN, readiness probe).
    expect(new Set(rows.map((row) => row.application_name))).toEqual(
      new Set(['user-service', 'post-service', 'notification-service']),
    );
    expect(rows.every((row) => row.terminated)).toBe(true);
  } finally {
    await admin.end();
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expectAllAlive();

  await followIsNotified(dee, eli);
  await postIsRead(eli, dee, 'after the terminations');
  expect((await send(gateway, '/v1/me', { token: token(dee) })).status).toBe(200);
  expectAllAlive();
}, 60_000);
