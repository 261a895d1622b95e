/** The cells of the type × channel matrix a user turned off; every other cell is on. */
import type { Kysely } from 'kysely';
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

/** Which (user, type) cells among `userIds` have `channel` off, as `user:type` keys. */
export async function disabledFor(
  db: Kysely<NotificationDatabase>,
  userIds: string[],
  channel: ChannelValue,
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('disabled_preferences')
    .select(['user_id', 'type'])
    .where('user_id', 'in', userIds)
    .where('channel', '=', channel)
    .execute();
  return new Set(rows.map((row) => `${row.user_id}:${row.type}`));
}
