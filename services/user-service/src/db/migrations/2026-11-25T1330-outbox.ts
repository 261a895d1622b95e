import { createOutboxTables, publishEvents } from '@wren/platform';
import { type Kysely, sql } from 'kysely';
import { PRODUCER, userEvents } from '../../domain/events.js';
import type { UserDatabase } from '../schema.js';

const CHUNK = 500;

/**
 * The outbox, and the events for what existed before it did: consumers build their
 * replicas from events alone, so every user and follow is published once here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createOutboxTables(db);
  const users = db as unknown as Kysely<UserDatabase>;
  let afterUser = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await users
      .selectFrom('users')
      .selectAll()
      .where('id', '>', afterUser)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    if (rows.length === 0) break;
    await publishEvents(users, PRODUCER, rows.map(userEvents.registered));
    afterUser = rows[rows.length - 1]?.id ?? afterUser;
  }
  let offset = 0;
  for (;;) {
    const rows = await users
      .selectFrom('follows')
      .selectAll()
      .orderBy('created_at')
      .orderBy('follower_id')
      .orderBy('followee_id')
      .limit(CHUNK)
      .offset(offset)
      .execute();
    if (rows.length === 0) break;
    await publishEvents(
      users,
      PRODUCER,
      rows.map((row) => userEvents.followed(row.follower_id, row.followee_id, row.created_at)),
    );
    offset += rows.length;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE outbox_cursors, outbox`.execute(db);
}
