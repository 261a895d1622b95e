/**
 * The migration that creates the outbox publishes what existed before it: consumers build
 * their copies from events alone, so a deployment upgraded with users and follows in its
 * database must not leave them out.
 */
import { Event } from '@wren/contracts/events/v1/events.js';
import { createDatabase, uuidv7 } from '@wren/platform';
import { createTestDatabase } from '@wren/testkit';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations/index.js';
import type { UserDatabase } from '../src/db/schema.js';

describe('outbox migration', () => {
  it('publishes a registration for every existing user and a follow for every existing follow', async () => {
    const database = createDatabase<UserDatabase>({
      url: await createTestDatabase('backfill'),
      max: 2,
      applicationName: 'backfill-test',
    });
    try {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
      const before = await migrator.migrateTo('2026-11-25T1200-accounts-sessions-follows');
      expect(before.error).toBeUndefined();

      const ids = [uuidv7(), uuidv7(), uuidv7()];
      await database.db
        .insertInto('users')
        .values(ids.map((id, i) => ({ id, username: `old_${i}`, email: `old_${i}@example.com`, password_hash: 'x' })))
        .execute();
      await database.db
        .insertInto('follows')
        .values([
          { follower_id: ids[0] as string, followee_id: ids[1] as string },
          { follower_id: ids[1] as string, followee_id: ids[0] as string },
        ])
        .execute();

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await sql<{ event: Buffer }>`SELECT event FROM outbox ORDER BY txid, id`.execute(database.db);
      const payloads = rows.rows.map((row) => Event.decode(row.event).payload);
      const registered = payloads.flatMap((p) => (p?.$case === 'userRegistered' ? [p.value.profile] : []));
      const byId = (a?: { userId: string }, b?: { userId: string }) => (a?.userId ?? '').localeCompare(b?.userId ?? '');
      expect(registered.sort(byId)).toEqual(
        ids.map((id, i) => ({ userId: id, username: `old_${i}`, displayName: '', avatarUrl: '' })).sort(byId),
      );
      const follows = payloads.flatMap((p) => (p?.$case === 'userFollowed' ? [p.value] : []));
      expect(follows.map((f) => [f.followerId, f.followeeId]).sort()).toEqual(
        [
          [ids[0], ids[1]],
          [ids[1], ids[0]],
        ].sort(),
      );
    } finally {
      await database.close();
    }
  });
});
