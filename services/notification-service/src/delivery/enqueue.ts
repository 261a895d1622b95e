/**
 * Queues the pushes of notifications just created, in the same transaction: the notification
 * and its deliveries commit together or not at all, so none is lost and none doubled.
 */
import { activeTraceparent, uuidv7 } from '@wren/platform';
import type { Kysely } from 'kysely';
import { type DeliveryDraft, enqueueDeliveries } from '../db/queries/deliveries.js';
import type { NotificationDraft } from '../db/queries/notifications.js';
import { pushTargetsOf } from '../db/queries/push-destinations.js';
import type { NotificationDatabase } from '../db/schema.js';

export async function enqueuePushes(db: Kysely<NotificationDatabase>, created: NotificationDraft[]): Promise<void> {
  if (created.length === 0) return;
  const recipients = [...new Set(created.map((n) => n.recipient_id))];
  // Only the cells turned off are stored: a channel is on unless its cell is there.
  const destinations = await pushTargetsOf(db, recipients);
  if (destinations.webPush.length === 0 && destinations.expo.length === 0) return;
  const webOff = destinations.webPushOff;
  const expoOff = destinations.expoOff;
  const drafts: DeliveryDraft[] = [];
  const traceparent = activeTraceparent();
  for (const notification of created) {
    const base = { notification_id: notification.id, recipient_id: notification.recipient_id, traceparent };
    const cell = `${notification.recipient_id}:${notification.type}`;
    if (!webOff.has(cell)) {
      for (const sub of destinations.webPush) {
        if (sub.user_id !== notification.recipient_id) continue;
        drafts.push({ id: uuidv7(), ...base, channel: 'web_push', destination: sub.id });
      }
    }
    if (!expoOff.has(cell)) {
      for (const device of destinations.expo) {
        if (device.user_id !== notification.recipient_id) continue;
        drafts.push({ id: uuidv7(), ...base, channel: 'expo_push', destination: device.token });
      }
    }
  }
  await enqueueDeliveries(db, drafts);
}
