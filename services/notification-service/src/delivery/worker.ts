/**
 * The delivery workers of one process: a loop that claims due rows while there is room (at
 * most `concurrency` Web Push requests and Expo batches in flight) and polls when there is
 * nothing to do. Several processes may run it against one database: claims skip each
 * other's rows. stop() drains: no new claims, the attempts in flight finish and are
 * recorded (each has a timeout, so this ends).
 */
import { SpanKind } from '@opentelemetry/api';
import { inSpanContinuing, isConnectionError } from '@wren/platform';
import { type ClaimedDelivery, claimDue } from '../db/queries/deliveries.js';
import { MAX_MESSAGES_PER_REQUEST, MAX_RECEIPT_IDS_PER_REQUEST } from './expo.js';
import { deliverExpoBatch } from './expo-job.js';
import type { DeliveryDeps } from './outcomes.js';
import { checkExpoReceipts } from './receipts.js';
import { deliverWebPush } from './web-push-job.js';

/** The longest wait between claims while they fail (the database is away), unless polls are rarer. */
const CLAIM_RETRY_MAX_MS = 2000;

export interface DeliveryWorker {
  stop(): Promise<void>;
}

/** A delivery attempt continues the trace of the request that caused the notification. */
function traced(name: string, claims: ClaimedDelivery[], job: () => Promise<void>): Promise<void> {
  return inSpanContinuing(
    name,
    claims.map((claim) => claim.traceparent),
    { kind: SpanKind.CLIENT, attributes: { 'wren.push.deliveries': claims.length } },
    job,
  );
}

export function startDeliveryWorker(deps: DeliveryDeps): DeliveryWorker {
  const { db, logger } = deps;
  const { concurrency, leaseMs, pollIntervalMs } = deps.config.delivery;
  const inFlight = new Set<Promise<void>>();
  let running = concurrency > 0;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let failures = 0;

  const room = () => concurrency - inFlight.size;

  function track(job: () => Promise<void>): void {
    // A job that throws (the database went away) leaves its rows claimed: their lease runs
    // out and they are tried again, which is the crash path, not a loss.
    const promise = job()
      .catch((error: unknown) => {
        if (isConnectionError(error)) logger.warn({ err: error }, 'push delivery job failed: database unavailable');
        else logger.error({ err: error }, 'push delivery job failed');
      })
      .finally(() => {
        inFlight.delete(promise);
        wake();
      });
    inFlight.add(promise);
  }

  /** Claims what fits; true when it claimed anything (there may be more right away). */
  async function claimSome(): Promise<boolean> {
    let claimed = false;
    const web = await claimDue(db, 'web_push', 'pending', room(), leaseMs);
    for (const claim of web) track(() => traced('push web', [claim], () => deliverWebPush(deps, claim)));
    claimed ||= web.length > 0;
    if (room() > 0) {
      const expo = await claimDue(db, 'expo_push', 'pending', MAX_MESSAGES_PER_REQUEST, leaseMs);
      if (expo.length > 0) track(() => traced('push expo', expo, () => deliverExpoBatch(deps, expo)));
      claimed ||= expo.length > 0;
    }
    if (room() > 0) {
      const receipts = await claimDue(db, 'expo_push', 'ticketed', MAX_RECEIPT_IDS_PER_REQUEST, leaseMs);
      if (receipts.length > 0) {
        track(() => traced('push expo receipts', receipts, () => checkExpoReceipts(deps, receipts)));
      }
      claimed ||= receipts.length > 0;
    }
    return claimed;
  }

  function schedule(delayMs: number): void {
    if (!running || ticking) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      ticking = claimSome()
        .then((more) => {
          failures = 0;
          return more && room() > 0 ? 0 : pollIntervalMs;
        })
        .catch((error: unknown) => {
          failures += 1;
          // The database away is an outage to wait out (quietly, backing off), not a bug.
          const backoff = Math.min(CLAIM_RETRY_MAX_MS, pollIntervalMs * 2 ** Math.min(failures, 8));
          const delay = Math.max(pollIntervalMs, backoff);
          if (isConnectionError(error)) {
            logger.warn({ err: error, retryInMs: delay }, 'claiming push deliveries failed: database unavailable');
          } else {
            logger.error({ err: error, retryInMs: delay }, 'claiming push deliveries failed');
          }
          return delay;
        })
        .then((delay) => {
          ticking = undefined;
          schedule(delay);
        });
    }, delayMs);
  }

  /** A job finished: there is room again, and perhaps a retry due. */
  function wake(): void {
    schedule(0);
  }

  schedule(0);
  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      await ticking;
      await Promise.allSettled([...inFlight]);
    },
  };
}
