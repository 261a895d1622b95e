/** PushService: the VAPID key browsers subscribe with, and each user's push destinations. */
import type { PushServiceImplementation } from '@wren/contracts/notification/v1/push_service.js';
import { alreadyExists, requireUser, resourceExhausted, type WrenCallContextExt } from '@wren/platform';
import type { NotificationServiceContext } from '../context.js';
import {
  deleteExpoPushToken,
  deleteWebPushSubscription,
  upsertExpoPushToken,
  upsertWebPushSubscription,
} from '../db/queries/push-destinations.js';
import { checkedExpoToken, checkedSubscription } from '../domain/push-targets.js';

/** Per user: a few browsers and devices each; more is abuse, and each costs a send per notification. */
export const MAX_WEB_PUSH_SUBSCRIPTIONS = 10;
export const MAX_EXPO_PUSH_TOKENS = 10;

/**
 * Another account registered this destination. Moving it would hand that account's pushes
 * to whoever knows the endpoint or token; it has to be removed by its account first.
 */
const destinationTaken = (field: string) =>
  alreadyExists('another account has registered this push destination', 'DESTINATION_TAKEN', field);

export function pushRpc(ctx: NotificationServiceContext): PushServiceImplementation<WrenCallContextExt> {
  const { db } = ctx.database;
  const { push } = ctx.config;
  return {
    async getVapidPublicKey() {
      return { publicKey: push.vapid.publicKey };
    },

    async registerWebPushSubscription(request, context) {
      const { userId } = requireUser(context);
      const subscription = await checkedSubscription(request.subscription, push.allowPrivateEndpoints);
      const stored = await db
        .transaction()
        .execute((trx) => upsertWebPushSubscription(trx, userId, subscription, MAX_WEB_PUSH_SUBSCRIPTIONS));
      if (stored.kind === 'too-many') {
        throw resourceExhausted(
          `at most ${MAX_WEB_PUSH_SUBSCRIPTIONS} Web Push subscriptions per user`,
          'TOO_MANY_SUBSCRIPTIONS',
        );
      }
      if (stored.kind === 'taken') throw destinationTaken('subscription.endpoint');
      return { subscriptionId: stored.value };
    },

    async unregisterWebPushSubscription(request, context) {
      const { userId } = requireUser(context);
      // Idempotent: an endpoint that is not (or no longer) the caller's is simply not there.
      await deleteWebPushSubscription(db, userId, request.endpoint.trim());
      return {};
    },

    async registerExpoPushToken(request, context) {
      const { userId } = requireUser(context);
      const token = checkedExpoToken(request.token);
      const stored = await db
        .transaction()
        .execute((trx) => upsertExpoPushToken(trx, userId, token, MAX_EXPO_PUSH_TOKENS));
      if (stored.kind === 'too-many') {
        throw resourceExhausted(`at most ${MAX_EXPO_PUSH_TOKENS} Expo push tokens per user`, 'TOO_MANY_PUSH_TOKENS');
      }
      if (stored.kind === 'taken') throw destinationTaken('token');
      return {};
    },

    async unregisterExpoPushToken(request, context) {
      const { userId } = requireUser(context);
      await deleteExpoPushToken(db, request.token.trim(), userId);
      return {};
    },
  };
}
