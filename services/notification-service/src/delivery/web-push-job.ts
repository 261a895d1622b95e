/** Delivers one claimed Web Push row and records how it went. */
import { type ClaimedDelivery, notificationsForPush } from '../db/queries/deliveries.js';
import { deleteWebPushSubscriptionById, findWebPushSubscription } from '../db/queries/push-destinations.js';
import { actorNotYetKnown, type DeliveryDeps, overLimit, record, retryOrFail } from './outcomes.js';
import { buildPayload, topicOf, urgencyOf } from './payload.js';
import { sendWebPush } from './web-push.js';

export async function deliverWebPush(deps: DeliveryDeps, claim: ClaimedDelivery): Promise<void> {
  const { db, config } = deps;
  const exhausted = overLimit(config, claim);
  if (exhausted) {
    await record(deps, claim, exhausted);
    return;
  }
  const notification = (await notificationsForPush(db, [claim.notification_id])).get(claim.notification_id);
  if (!notification) {
    await record(deps, claim, { status: 'gone', error: 'notification deleted' });
    return;
  }
  const waitForActor = actorNotYetKnown(config, notification);
  if (waitForActor) {
    await record(deps, claim, waitForActor);
    return;
  }
  const subscription = await findWebPushSubscription(db, claim.destination);
  // Unregistered since, or moved to another user (then it has a new id and we do not find it).
  if (subscription?.user_id !== claim.recipient_id) {
    await record(deps, claim, { status: 'gone', error: 'subscription removed' });
    return;
  }
  const result = await sendWebPush(
    subscription,
    { payload: buildPayload(notification), urgency: urgencyOf(notification), topic: topicOf(notification) },
    config,
  );
  switch (result.kind) {
    case 'delivered':
      await record(deps, claim, { status: 'delivered' });
      return;
    case 'gone':
      // The browser unsubscribed or the subscription expired: never send to it again.
      await deleteWebPushSubscriptionById(db, subscription.id);
      await record(deps, claim, { status: 'gone', error: result.error });
      return;
    case 'retry':
      await record(deps, claim, retryOrFail(config, claim, result.error, result.retryAfterMs));
      return;
    case 'failed':
      deps.logger.warn({ deliveryId: claim.id, error: result.error }, 'web push failed');
      await record(deps, claim, { status: 'failed', error: result.error });
  }
}
