/** The live stream's side of the notifications table: announcing new rows and reading them back. */
import { type Kysely, sql } from 'kysely';
import type { NotificationDatabase } from '../schema.js';
import { type NotificationRow, visibleNotificationsOf } from './notifications.js';

/** The PostgreSQL channel new notifications are announced on, as `<recipient>:<id>`. */
export const NOTIFICATION_CHANNEL = 'wren_notifications';

/**
 * Must run in the transaction that inserted the rows: PostgreSQL delivers a NOTIFY only when
 * (and if) that transaction commits, so listeners never hear of a rolled-back notification.
 */
export async function announceNotifications(
  db: Kysely<NotificationDatabase>,
  created: { id: string; recipient_id: string }[],
): Promise<void> {
  if (created.length === 0) return;
  const payloads = created.map((row) => `${row.recipient_id}:${row.id}`);
  await sql`select pg_notify(${NOTIFICATION_CHANNEL}, payload) from unnest(${payloads}::text[]) as payload`.execute(db);
}

/**
 * The newest `limit` of the recipient's notifications after `afterId`, oldest first. When
 * more were missed, the oldest of them are left to GET /v1/notifications: a reconnecting
 * client wants what is recent, not an unbounded replay.
 */
export async function notificationsAfter(
  db: Kysely<NotificationDatabase>,
  recipientId: string,
  afterId: string,
  limit: number,
): Promise<NotificationRow[]> {
  const rows = await visibleNotificationsOf(db, recipientId)
    .where('n.id', '>', afterId)
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** One announced notification, unless it was deleted meanwhile (or is not the recipient's). */
export async function notificationOf(
  db: Kysely<NotificationDatabase>,
  recipientId: string,
  id: string,
): Promise<NotificationRow | undefined> {
  return visibleNotificationsOf(db, recipientId).where('n.id', '=', id).executeTakeFirst();
}
