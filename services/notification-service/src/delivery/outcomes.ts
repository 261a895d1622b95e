/** What the jobs share: their dependencies and the retry-or-give-up rule. */
import type { Logger } from '@wren/platform';
import type { Kysely } from 'kysely';
import type { PushConfig } from '../config.js';
import {
  type ClaimedDelivery,
  type Outcome,
  type PushNotificationRow,
  recordOutcome,
} from '../db/queries/deliveries.js';
import type { NotificationDatabase } from '../db/schema.js';
import { retryDelayMs } from './backoff.js';
import type { PushMetrics } from './metrics.js';

export interface DeliveryDeps {
  db: Kysely<NotificationDatabase>;
  config: PushConfig;
  logger: Logger;
  metrics?: PushMetrics;
}

/** Records a claim's outcome and counts it. */
export async function record(deps: DeliveryDeps, claim: ClaimedDelivery, outcome: Outcome): Promise<void> {
  await recordOutcome(deps.db, claim, outcome);
  // A wait for data is no attempt: counting it as a retry would hide real ones.
  if (!outcome.refund) deps.metrics?.attempted(claim.channel, outcome);
}

/** Another try after a backoff, unless this was the last attempt allowed. */
export function retryOrFail(config: PushConfig, claim: ClaimedDelivery, error: string, retryAfterMs?: number): Outcome {
  if (claim.attempts >= config.delivery.maxAttempts) {
    return { status: 'failed', error: `${error} (gave up after ${claim.attempts} attempts)` };
  }
  const delay = retryDelayMs(claim.attempts, config.delivery, retryAfterMs);
  return { status: 'pending', error, nextAttemptAt: new Date(Date.now() + delay) };
}

const ACTOR_RECHECK_MS = 1000;

/**
 * A push about someone notification-service has not heard of yet: events from user-service
 * (the new user) and from post-service (their like) travel by different relays, so the like
 * can arrive first, and the push would say "Someone". For PUSH_ACTOR_WAIT_MS after the
 * notification the push waits for the user's event, rechecking every second, without using
 * up attempts; then it goes out with what is known.
 */
export function actorNotYetKnown(config: PushConfig, notification: PushNotificationRow): Outcome | undefined {
  if (notification.username !== null) return undefined;
  const waitedMs = Date.now() - notification.created_at.getTime();
  const leftMs = config.delivery.actorWaitMs - waitedMs;
  if (leftMs <= 0) return undefined;
  return {
    status: 'pending',
    error: 'actor not replicated yet',
    nextAttemptAt: new Date(Date.now() + Math.min(ACTOR_RECHECK_MS, leftMs)),
    refund: true,
  };
}

/**
 * A claim past the limit: its earlier attempts were cut short (a worker crashed while
 * sending), so it is not sent once more.
 */
export function overLimit(config: PushConfig, claim: ClaimedDelivery): Outcome | undefined {
  if (claim.attempts <= config.delivery.maxAttempts) return undefined;
  return { status: 'failed', error: `gave up after ${config.delivery.maxAttempts} attempts` };
}
