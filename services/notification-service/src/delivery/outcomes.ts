/** What the jobs share: their dependencies and the retry-or-give-up rule. */
import type { Logger } from '@wren/platform';
import type { Kysely } from 'kysely';
import type { PushConfig } from '../config.js';
import { type ClaimedDelivery, type Outcome, recordOutcome } from '../db/queries/deliveries.js';
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
  deps.metrics?.attempted(claim.channel, outcome);
}

/** Another try after a backoff, unless this was the last attempt allowed. */
export function retryOrFail(config: PushConfig, claim: ClaimedDelivery, error: string, retryAfterMs?: number): Outcome {
  if (claim.attempts >= config.delivery.maxAttempts) {
    return { status: 'failed', error: `${error} (gave up after ${claim.attempts} attempts)` };
  }
  const delay = retryDelayMs(claim.attempts, config.delivery, retryAfterMs);
  return { status: 'pending', error, nextAttemptAt: new Date(Date.now() + delay) };
}

/**
 * A claim past the limit: its earlier attempts were cut short (a worker crashed while
 * sending), so it is not sent once more.
 */
export function overLimit(config: PushConfig, claim: ClaimedDelivery): Outcome | undefined {
  if (claim.attempts <= config.delivery.maxAttempts) return undefined;
  return { status: 'failed', error: `gave up after ${config.delivery.maxAttempts} attempts` };
}
