/** What the push suites share: short timings, and a look at the delivery queue. */
import type { TestServices } from './helpers.js';

/** Small backoffs and polls so that retries take milliseconds; private endpoints for the local peers. */
export const FAST_PUSH_ENV = {
  PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true',
  PUSH_BACKOFF_BASE_MS: '20',
  PUSH_BACKOFF_MAX_MS: '2000',
  PUSH_POLL_INTERVAL_MS: '20',
  PUSH_REQUEST_TIMEOUT_MS: '2000',
  PUSH_LEASE_MS: '3000',
  PUSH_MAX_ATTEMPTS: '4',
  EXPO_RECEIPT_DELAY_MS: '50',
  // Most suites deliver events of actors the replica never hears of: send at once.
  PUSH_ACTOR_WAIT_MS: '0',
};

export async function deliveriesTo(svc: TestServices, recipientId: string) {
  return svc.db
    .selectFrom('push_deliveries')
    .select(['channel', 'destination', 'status', 'attempts', 'last_error', 'ticket_id', 'receipt_checks'])
    .where('recipient_id', '=', recipientId)
    .orderBy('created_at')
    .execute();
}

/** Waits until no delivery of `recipientId` is still to do, and returns them all. */
export async function settled(svc: TestServices, recipientId: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await deliveriesTo(svc, recipientId);
    if (rows.length > 0 && rows.every((row) => row.status !== 'pending' && row.status !== 'ticketed')) return rows;
    if (Date.now() > deadline) throw new Error(`deliveries still open: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
