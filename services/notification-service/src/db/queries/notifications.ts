/** Reads and writes of one user's notifications, and the removals that deletions cause. */
import { type Kysely, sql } from 'kysely';
import type { NotificationDatabase, NotificationTypeValue } from '../schema.js';

export interface NotificationDraft {
  id: string;
  recipient_id: string;
  type: NotificationTypeValue;
  actor_id: string;
  post_id: string | null;
  comment_id: string | null;
  excerpt: string;
}

export interface NotificationRow {
  id: string;
  type: NotificationTypeValue;
  actor_id: string;
  username: string | null;
  display_name: string | null;
  avatar_url: string | null;
  post_id: string | null;
  comment_id: string | null;
  excerpt: string;
  created_at: Date;
  read_at: Date | null;
}

/** A recipient's notifications that are not deleted, with their actor: what every read shows. */
export function visibleNotificationsOf(db: Kysely<NotificationDatabase>, recipientId: string) {
  return db
    .selectFrom('notifications as n')
    .leftJoin('actors as a', 'a.id', 'n.actor_id')
    .select([
      'n.id',
      'n.type',
      'n.actor_id',
      'a.username',
      'a.display_name',
      'a.avatar_url',
      'n.post_id',
      'n.comment_id',
      'n.excerpt',
      'n.created_at',
      'n.read_at',
    ])
    .where('n.recipient_id', '=', recipientId)
    .where('n.deleted_at', 'is', null);
}

/**
 * Inserts the drafts that are not there yet (the uniqueness index on recipient, type, actor
 * and target decides) and returns the ones inserted now.
 */
export async function insertNotifications(
  db: Kysely<NotificationDatabase>,
  drafts: NotificationDraft[],
): Promise<NotificationDraft[]> {
  if (drafts.length === 0) return [];
  const inserted = await db
    .insertInto('notifications')
    .values(drafts)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  const ids = new Set(inserted.map((row) => row.id));
  return drafts.filter((draft) => ids.has(draft.id));
}

export interface ListFilter {
  types: NotificationTypeValue[];
  unreadOnly: boolean;
}

export async function listNotifications(
  db: Kysely<NotificationDatabase>,
  recipientId: string,
  filter: ListFilter,
  limit: number,
  beforeId: string | undefined,
): Promise<NotificationRow[]> {
  let query = visibleNotificationsOf(db, recipientId);
  if (beforeId !== undefined) query = query.where('n.id', '<', beforeId);
  if (filter.types.length > 0) query = query.where('n.type', 'in', filter.types);
  if (filter.unreadOnly) query = query.where('n.read_at', 'is', null);
  return query.orderBy('n.id', 'desc').limit(limit).execute();
}

/** Served by the partial index of unread notifications alone. */
export async function countUnread(db: Kysely<NotificationDatabase>, recipientId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Marks the caller's own notifications among `ids` read; others' ids change nothing. */
export async function markReadByIds(
  db: Kysely<NotificationDatabase>,
  recipientId: string,
  ids: string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('recipient_id', '=', recipientId)
    .where('id', 'in', ids)
    .where('read_at', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Everything up to and including `upToId` in newest-first order, i.e. every id ≤ it. */
export async function markReadUpTo(
  db: Kysely<NotificationDatabase>,
  recipientId: string,
  upToId: string,
): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('recipient_id', '=', recipientId)
    .where('id', '<=', upToId)
    .where('read_at', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Whose notification `id` is (deleted or not), or undefined when there is none. */
export async function recipientOf(db: Kysely<NotificationDatabase>, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('notifications').select('recipient_id').where('id', '=', id).executeTakeFirst();
  return row?.recipient_id;
}

/**
 * A user's delete keeps the row as a tombstone: it still holds the uniqueness key, so the
 * same like or follow does not come back as a new notification.
 */
export async function softDelete(db: Kysely<NotificationDatabase>, recipientId: string, id: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ deleted_at: sql`now()` })
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .where('deleted_at', 'is', null)
    .execute();
}

/** A deleted post takes every notification about it, its comments' included. */
export async function deleteForPost(db: Kysely<NotificationDatabase>, postId: string): Promise<void> {
  await db.deleteFrom('notifications').where('post_id', '=', postId).execute();
}

export async function deleteForComment(db: Kysely<NotificationDatabase>, commentId: string): Promise<void> {
  await db.deleteFrom('notifications').where('comment_id', '=', commentId).execute();
}
