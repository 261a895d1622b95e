/**
 * The reference server for real: a scratch database shaped like post-service's (authors,
 * follows, posts), copied by load.ts into a fresh reference database, the server started by
 * its launcher, and the three requests over HTTP; then its pgbench ceiling for a few seconds.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REFERENCE_CEILING } from '../reference/ceiling-target.js';
import { launchReference, type ReferenceInstance } from '../reference/launcher.js';
import { dropReference, type LoadedReference, loadReference, readWrenRows } from '../reference/load.js';
import { generateReferenceKeys, mintToken } from '../reference/tokens.js';
import { measureCeiling } from '../src/ceiling.js';
import { databaseUrl, withClient } from '../src/database.js';

const serverUrl = inject('postgresServerUrl');
const suffix = randomBytes(4).toString('hex');
const source = `bench_ref_src_${suffix}`;
const target = `bench_ref_${suffix}`;
const keys = generateReferenceKeys();
const token = (id: number) => mintToken(keys.privateKey, id);
const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

let loaded: LoadedReference;
let server: ReferenceInstance | undefined;

async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const response = await fetch(`${server?.origin}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

const texts = (page: { items: Array<{ text: string }> }) => page.items.map((item) => item.text);

beforeAll(async () => {
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${source}`));
  // Node ids 0-2 plus someone who is not a bench user (left out); 1 and 2 follow 0, 0 follows 1.
  await withClient(databaseUrl(serverUrl, source), async (client) => {
    await client.query(`
      CREATE TABLE authors (id uuid PRIMARY KEY, username text NOT NULL UNIQUE);
      CREATE TABLE follows (follower_id uuid NOT NULL, followee_id uuid NOT NULL, PRIMARY KEY (follower_id, followee_id));
      CREATE TABLE posts (id uuid PRIMARY KEY, author_id uuid NOT NULL, text text NOT NULL, created_at timestamptz NOT NULL);
      INSERT INTO authors VALUES ('${uuid(1)}', 'username_0'), ('${uuid(2)}', 'username_1'),
                                 ('${uuid(3)}', 'username_2'), ('${uuid(4)}', 'someone');
      INSERT INTO follows VALUES ('${uuid(2)}', '${uuid(1)}'), ('${uuid(3)}', '${uuid(1)}'), ('${uuid(1)}', '${uuid(2)}'),
                                 ('${uuid(4)}', '${uuid(1)}');
      INSERT INTO posts VALUES
        ('${uuid(11)}', '${uuid(1)}', 'first of 0', '2026-01-01T00:00:00Z'),
        ('${uuid(12)}', '${uuid(2)}', 'first of 1', '2026-01-02T00:00:00Z'),
        ('${uuid(13)}', '${uuid(1)}', 'second of 0', '2026-01-03T00:00:00Z'),
        ('${uuid(14)}', '${uuid(4)}', 'not a bench user', '2026-01-04T00:00:00Z');
    `);
  });
  const rows = await readWrenRows(serverUrl, source);
  loaded = await loadReference(serverUrl, rows, target);
  server = await launchReference({ databaseUrl: loaded.url, publicKeyPem: keys.publicKeyPem });
});

afterAll(async () => {
  await server?.stop();
  await dropReference(serverUrl, target);
  await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`));
});

describe('the reference server', () => {
  it('holds the same users, follows and posts, in order, with home timelines built by fan-out', async () => {
    // 3 posts: 0's two reach 0, 1 and 2; 1's one reaches 1 and 0.
    expect(loaded.counts).toEqual({ users: 3, follows: 3, posts: 3, home_timeline: 8 });
    const rows = await withClient(loaded.url, (client) =>
      client.query<{ id: string; author: number; text: string; created_at: Date }>(
        'SELECT id, author, text, created_at FROM posts ORDER BY id',
      ),
    );
    expect(rows.rows.map((row) => [row.author, row.text, row.created_at.toISOString()])).toEqual([
      [0, 'first of 0', '2026-01-01T00:00:00.000Z'],
      [1, 'first of 1', '2026-01-02T00:00:00.000Z'],
      [0, 'second of 0', '2026-01-03T00:00:00.000Z'],
    ]);
  });

  it('pages a home timeline newest first with an opaque cursor', async () => {
    const first = await call('GET', '/v1/timelines/home?limit=2', { token: token(1) });
    expect(first.status).toBe(200);
    expect(texts(first.body)).toEqual(['second of 0', 'first of 1']);
    expect(first.body.items[0]).toMatchObject({ author: 'username_0', createdAt: '2026-01-03T00:00:00.000Z' });
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await call('GET', `/v1/timelines/home?limit=2&cursor=${first.body.nextCursor}`, { token: token(1) });
    expect(texts(second.body)).toEqual(['first of 0']);
    expect(second.body.nextCursor).toBeNull();
    const everything = await call('GET', '/v1/timelines/home?limit=10', { token: token(1) });
    expect(everything.body.nextCursor).toBeNull();
    expect(texts(everything.body)).toHaveLength(3);
  });

  it('composes a post that reaches the followers, the author and the author’s page', async () => {
    const created = await call('POST', '/v1/posts', { token: token(0), body: { text: 'hello from 0' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ author: 'username_0', text: 'hello from 0' });
    for (const reader of [0, 1, 2]) {
      const home = await call('GET', '/v1/timelines/home?limit=1', { token: token(reader) });
      expect(home.body.items[0]).toEqual(created.body);
    }
    const page = await call('GET', '/v1/users/username_0/posts?limit=10', { token: token(2) });
    expect(texts(page.body)).toEqual(['hello from 0', 'second of 0', 'first of 0']);
    // 2 follows only 0: 1's post is not in 2's home.
    const home2 = await call('GET', '/v1/timelines/home?limit=10', { token: token(2) });
    expect(texts(home2.body)).toEqual(['hello from 0', 'second of 0', 'first of 0']);
  });

  it('answers an empty page for a user without posts and 404 for an unknown one', async () => {
    const empty = await call('GET', '/v1/users/username_2/posts?limit=10', { token: token(0) });
    expect(empty).toEqual({ status: 200, body: { items: [], nextCursor: null } });
    expect((await call('GET', '/v1/users/nobody/posts', { token: token(0) })).status).toBe(404);
  });

  it('refuses a missing, forged or expired token with 401', async () => {
    expect((await call('GET', '/v1/timelines/home')).status).toBe(401);
    const [header, , signature] = token(1).split('.');
    const claims = Buffer.from(JSON.stringify({ sub: '0', exp: Date.now() / 1000 + 60 })).toString('base64url');
    expect((await call('GET', '/v1/timelines/home', { token: `${header}.${claims}.${signature}` })).status).toBe(401);
    const expired = mintToken(keys.privateKey, 1, Math.floor(Date.now() / 1000) - 100, 50);
    expect((await call('GET', '/v1/users/username_0/posts', { token: expired })).status).toBe(401);
    expect((await call('POST', '/v1/posts', { token: expired, body: { text: 'x' } })).status).toBe(401);
    // Signed, but for a user the reference does not hold.
    expect((await call('POST', '/v1/posts', { token: token(99), body: { text: 'x' } })).status).toBe(401);
  });

  it('refuses bad input with 400', async () => {
    for (const body of [{ text: '' }, { text: '   ' }, { text: 5 }, {}, { text: 'x'.repeat(2001) }]) {
      expect((await call('POST', '/v1/posts', { token: token(0), body })).status).toBe(400);
    }
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=2.5', 'cursor=abc', 'cursor=-1']) {
      expect((await call('GET', `/v1/timelines/home?${query}`, { token: token(0) })).status).toBe(400);
      expect((await call('GET', `/v1/users/username_0/posts?${query}`, { token: token(0) })).status).toBe(400);
    }
  });

  it('runs its SQL under pgbench and takes out what compose.sql wrote', async () => {
    const before = await withClient(loaded.url, (client) =>
      client.query<{ posts: number; home: number }>(
        'SELECT (SELECT count(*)::int FROM posts) AS posts, (SELECT count(*)::int FROM home_timeline) AS home',
      ),
    );
    const ceiling = await measureCeiling({
      serverUrl,
      workload: 'mixed',
      seconds: 2,
      clients: 2,
      threads: 1,
      seed: 1,
      userCount: 3,
      postgres: undefined,
      target: { ...REFERENCE_CEILING, database: target },
    });
    expect(ceiling.pgbench_tps).toBeGreaterThan(0);
    expect(ceiling.failed).toBe(0);
    expect(ceiling.scripts.map((script) => script.script)).toEqual(['home.sql', 'user.sql', 'compose.sql']);
    const after = await withClient(loaded.url, (client) =>
      client.query<{ posts: number; home: number; leftovers: number }>(
        `SELECT (SELECT count(*)::int FROM posts) AS posts, (SELECT count(*)::int FROM home_timeline) AS home,
                (SELECT count(*)::int FROM pg_tables WHERE tablename LIKE 'bench\\_%') AS leftovers`,
      ),
    );
    expect(after.rows[0]).toEqual({ ...before.rows[0], leftovers: 0 });
  });
});
