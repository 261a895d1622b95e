/**
 * What the bench reads straight from Wren's PostgreSQL (only when it started Wren itself,
 * or was given --database-url): whether the services' event outboxes are drained, how big
 * the databases are, and the server version.
 */
import pg from 'pg';
import type { EventBacklog } from './steps.js';

export const DATABASES = ['wren_users', 'wren_posts', 'wren_notifications'] as const;

/** Producers and how many subscribers each relays to (scripts/start.ts's OUTBOX_SUBSCRIBERS). */
const PRODUCERS: Record<string, number> = { wren_users: 2, wren_posts: 1 };

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Events not yet delivered to (and so applied by) every subscriber, over all producers. */
export async function pendingEvents(serverUrl: string): Promise<number> {
  let pending = 0;
  for (const [database, subscribers] of Object.entries(PRODUCERS)) {
    pending += await withClient(databaseUrl(serverUrl, database), async (client) => {
      const cursors = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_cursors');
      const total = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
      // A relay that has not made its cursor yet has delivered nothing.
      if ((cursors.rows[0]?.n ?? 0) < subscribers) return total.rows[0]?.n ?? 0;
      const behind = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox o JOIN outbox_cursors c ON (o.txid, o.id) > (c.last_txid, c.last_id)',
      );
      return behind.rows[0]?.n ?? 0;
    });
  }
  return pending;
}

/** Waits until every event is applied (a home timeline needs its follows replicated). */
export async function waitForEventsApplied(serverUrl: string, timeoutMs: number): Promise<{ seconds: number }> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await pendingEvents(serverUrl)) === 0) return { seconds: Math.round(performance.now() - started) / 1000 };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`events still pending after ${timeoutMs / 1000} s`);
}

/** The events not yet applied now, and the seconds until every one is (the step's backlog). */
export async function eventBacklog(serverUrl: string, timeoutMs: number): Promise<EventBacklog> {
  const pending = await pendingEvents(serverUrl);
  if (pending === 0) return { pending_at_end: 0, drain_seconds: 0 };
  const { seconds } = await waitForEventsApplied(serverUrl, timeoutMs);
  return { pending_at_end: pending, drain_seconds: seconds };
}

export async function databaseSizes(serverUrl: string): Promise<Record<string, number>> {
  return withClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string; bytes: string }>(
      'SELECT datname, pg_database_size(datname)::text AS bytes FROM pg_database WHERE datname = ANY($1) ORDER BY 1',
      [DATABASES],
    );
    return Object.fromEntries(rows.map((row) => [row.datname, Math.round(Number(row.bytes) / 1024 / 102.4) / 10]));
  });
}

/** Row counts that say the seeding landed: follows and posts as post-service sees them. */
export async function postServiceCounts(serverUrl: string): Promise<Record<string, number>> {
  return withClient(databaseUrl(serverUrl, 'wren_posts'), async (client) => {
    const { rows } = await client.query<{ authors: number; follows: number; posts: number; mentions: number }>(
      `SELECT (SELECT count(*)::int FROM authors) AS authors, (SELECT count(*)::int FROM follows) AS follows,
              (SELECT count(*)::int FROM posts) AS posts, (SELECT count(*)::int FROM post_mentions) AS mentions`,
    );
    return { ...rows[0] };
  });
}

export async function serverVersion(serverUrl: string): Promise<string> {
  return withClient(
    serverUrl,
    async (client) =>
      (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '',
  );
}
