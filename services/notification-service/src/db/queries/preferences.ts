/** The cells of the type × channel matrix a user turned off; every other cell is on. */
import { type Kysely, sql } from 'kysely';
import type { ChannelValue, NotificationDatabase, NotificationTypeValue } from '../schema.js';

export interface PreferenceCell {
  type: NotificationTypeValue;
  channel: ChannelValue;
}

export async function listDisabled(db: Kysely<NotificationDatabase>, userId: string): Promise<PreferenceCell[]> {
  return db.selectFrom('disabled_preferences').select(['type', 'channel']).where('user_id', '=', userId).execute();
}

export async function setPreferences(
  db: Kysely<NotificationDatabase>,
  userId: string,
  cells: (PreferenceCell & { enabled: boolean })[],
): Promise<void> {
  const off = cells.filter((cell) => !cell.enabled);
  const on = cells.filter((cell) => cell.enabled);
  if (off.length > 0) {
    await db
      .insertInto('disabled_preferences')
      .values(off.map(({ type, channel }) => ({ user_id: userId, type, channel })))
      .onConflict((oc) => oc.columns(['user_id', 'type', 'channel']).doNothing())
      .execute();
  }
  if (on.length > 0) {
    await db
      .deleteFrom('disabled_preferences')
      .where('user_id', '=', userId)
      .where((eb) => eb.or(on.map(({ type, channel }) => eb.and([eb('type', '=', type), eb('channel', '=', channel)]))))
      .execute();
  }
}

/**
 * What decides whether notifications may be made, in one round trip (it runs for every
 * event): which of `people` are deleted accounts, and which (recipient, type) cells of
 * `recipients` have in-app notifications off, as `user:type` keys.
 */
export async function deletedAndInAppOff(
  db: Kysely<NotificationDatabase>,
  people: string[],
  recipients: string[],
): Promise<{ deleted: Set<string>; inAppOff: Set<string> }> {
  const { rows } = await sql<{ user_id: string; type: string | null }>`
    SELECT id AS user_id, NULL AS type FROM deleted_users WHERE id = ANY(${people}::uuid[])
    UNION ALL
    SELECT user_id, type FROM disabled_preferences
     WHERE user_id = ANY(${recipients}::uuid[]) AND channel = 'in_app'
  `.execute(db);
  const deleted = new Set<string>();
  const inAppOff = new Set<string>();
  for (const row of rows) {
    if (row.type === null) deleted.add(row.user_id);
    else inAppOff.add(`${row.user_id}:${row.type}`);
  }
  return { deleted, inAppOff };
}
