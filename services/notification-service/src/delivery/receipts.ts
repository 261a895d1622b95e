/**
 * Expo's second half: a ticket only says Expo accepted the message; its receipt (ready some
 * minutes later) says whether Apple or Google did. Ticketed rows come due for this check
 * EXPO_RECEIPT_DELAY_MS after their ticket, and are claimed like any other row.
 */
import type { ClaimedDelivery, Outcome } from '../db/queries/deliveries.js';
import { retryDelayMs } from './backoff.js';
import { expoErrorCode, fetchExpoReceipts } from './expo.js';
import { recordExpoError } from './expo-job.js';
import { type DeliveryDeps, record } from './outcomes.js';

/** A receipt not ready yet, or not fetched: ask again later, a bounded number of times. */
function checkAgain(deps: DeliveryDeps, claim: ClaimedDelivery, error: string, retryAfterMs?: number): Outcome {
  const { delivery } = deps.config;
  if (claim.receipt_checks >= delivery.maxAttempts) {
    return { status: 'failed', error: `${error} (no receipt after ${claim.receipt_checks} checks)` };
  }
  const delay = retryDelayMs(claim.receipt_checks, delivery, retryAfterMs);
  return { status: 'ticketed', error, nextAttemptAt: new Date(Date.now() + delay) };
}

export async function checkExpoReceipts(deps: DeliveryDeps, claims: ClaimedDelivery[]): Promise<void> {
  const { config } = deps;
  const withTicket = claims.filter((claim) => claim.ticket_id !== null);
  const result = await fetchExpoReceipts(
    config,
    withTicket.map((claim) => claim.ticket_id as string),
  );
  for (const claim of claims) {
    if (claim.ticket_id === null) {
      await record(deps, claim, { status: 'failed', error: 'ticketed without a ticket id' });
      continue;
    }
    if (!('receipts' in result)) {
      await record(deps, claim, checkAgain(deps, claim, result.error, result.retryAfterMs));
      continue;
    }
    const receipt = result.receipts.get(claim.ticket_id);
    if (!receipt) {
      await record(deps, claim, checkAgain(deps, claim, 'receipt not ready'));
    } else if (receipt.status === 'ok') {
      await record(deps, claim, { status: 'delivered' });
    } else {
      await recordExpoError(deps, claim, expoErrorCode(receipt), 'expo push receipt error');
    }
  }
}
