import { createOutboxTables } from '@wren/platform';
import { type Kysely, sql } from 'kysely';

/** post-service becomes a producer: likes, comments, shares, mentions and deletions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createOutboxTables(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE outbox_cursors, outbox`.execute(db);
}
