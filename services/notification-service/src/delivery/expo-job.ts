/** Sends a claimed batch of Expo rows (at most 100: one request) and stores their tickets. */
import { type ClaimedDelivery, notificationsForPush, type Outcome } from '../db/queries/deliveries.js';
import { deleteExpoPushToken, expoTokenOwners } from '../db/queries/push-destinations.js';
import { type ExpoMessage, expoErrorCode, MAX_MESSAGES_PER_REQUEST, sendExpoMessages } from './expo.js';
import { actorNotYetKnown, type DeliveryDeps, overLimit, record, retryOrFail } from './outcomes.js';
import { buildPayload, urgencyOf } from './payload.js';

export async function deliverExpoBatch(deps: DeliveryDeps, claims: ClaimedDelivery[]): Promise<void> {
  const { db, config } = deps;
  const notifications = await notificationsForPush(db, [...new Set(claims.map((c) => c.notification_id))]);
  const owners = await expoTokenOwners(db, [...new Set(claims.map((c) => c.destination))]);
  const sendable: { claim: ClaimedDelivery; message: ExpoMessage }[] = [];
  for (const claim of claims) {
    const notification = notifications.get(claim.notification_id);
    const skip: Outcome | undefined =
      overLimit(config, claim) ??
      (!notification ? { status: 'gone', error: 'notification deleted' } : undefined) ??
      (owners.get(claim.destination) !== claim.recipient_id ? { status: 'gone', error: 'token removed' } : undefined) ??
      (notification ? actorNotYetKnown(config, notification) : undefined);
    if (skip || !notification) {
      await record(deps, claim, skip ?? { status: 'gone' });
      continue;
    }
    const payload = buildPayload(notification);
    sendable.push({
      claim,
      message: {
        to: claim.destination,
        title: payload.title,
        body: payload.body,
        data: { url: payload.url, notificationId: payload.notificationId, type: payload.type },
        priority: urgencyOf(notification) === 'high' ? 'high' : 'default',
        sound: 'default',
      },
    });
  }
  for (let start = 0; start < sendable.length; start += MAX_MESSAGES_PER_REQUEST) {
    await sendChunk(deps, sendable.slice(start, start + MAX_MESSAGES_PER_REQUEST));
  }
}

async function sendChunk(deps: DeliveryDeps, chunk: { claim: ClaimedDelivery; message: ExpoMessage }[]) {
  const { config } = deps;
  const result = await sendExpoMessages(
    config,
    chunk.map((item) => item.message),
  );
  if (!('tickets' in result)) {
    for (const { claim } of chunk) {
      const outcome: Outcome =
        result.kind === 'retry'
          ? retryOrFail(config, claim, result.error, result.retryAfterMs)
          : { status: 'failed', error: result.error };
      await record(deps, claim, outcome);
    }
    return;
  }
  const receiptAt = new Date(Date.now() + config.delivery.receiptDelayMs);
  for (const [index, { claim }] of chunk.entries()) {
    const ticket = result.tickets[index];
    if (ticket?.status === 'ok') {
      await record(deps, claim, { status: 'ticketed', ticketId: ticket.id, nextAttemptAt: receiptAt });
      continue;
    }
    await recordExpoError(deps, claim, ticket ? expoErrorCode(ticket) : 'no ticket', 'expo push refused');
  }
}

/**
 * What an Expo error code means, the same in a ticket and in a receipt: the device is gone
 * (its token is removed), Expo dropped the message for its rate (sent again, as one more
 * attempt), or anything else (failed, and logged).
 */
export async function recordExpoError(deps: DeliveryDeps, claim: ClaimedDelivery, code: string, logMessage: string) {
  if (code === 'DeviceNotRegistered') {
    await deleteExpoPushToken(deps.db, claim.destination);
    await record(deps, claim, { status: 'gone', error: code });
  } else if (code === 'MessageRateExceeded') {
    await record(deps, claim, retryOrFail(deps.config, claim, code));
  } else {
    deps.logger.warn({ deliveryId: claim.id, error: code }, logMessage);
    await record(deps, claim, { status: 'failed', error: code });
  }
}
