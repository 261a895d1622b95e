/**
 * The reference server's "second ceiling": ceiling.ts's pgbench run, pointed at the
 * reference's database and its scripts (./pgbench/), so the report can set the reference's
 * SQL throughput beside Wren's.
 */
import { join } from 'node:path';
import type { CeilingTarget } from '../src/ceiling.js';
import { REFERENCE_DATABASE } from './load.js';

export const REFERENCE_CEILING: CeilingTarget = {
  database: REFERENCE_DATABASE,
  scriptsDir: join(import.meta.dirname, 'pgbench'),
  // compose.sql's posts are those above the mark; their home-timeline copies go with them.
  async cleanUp(client) {
    const made = await client.query("SELECT to_regclass('bench_mark') IS NOT NULL AS present");
    if (made.rows[0]?.present) {
      await client.query('DELETE FROM home_timeline WHERE post_id > (SELECT last_id FROM bench_mark)');
      await client.query('DELETE FROM posts WHERE id > (SELECT last_id FROM bench_mark)');
    }
    await client.query('DROP TABLE IF EXISTS bench_users, bench_home_pages, bench_user_pages, bench_texts, bench_mark');
  },
  scope: {
    included: [
      "home: one statement (a range scan of the viewer's home_timeline, limit 11, joined to posts and users)",
      'user: one statement (the author by username, their posts by (author, id desc), limit 11)',
      'compose: in one transaction, the post insert (with its author look-up) and the fan-out insert into ' +
        'the home_timeline of the author and every follower',
      'one extra indexed look-up per transaction that turns pgbench random numbers into ids and cursors',
    ],
    excluded: ['JWT checks, HTTP, JSON (not SQL)'],
  },
};
