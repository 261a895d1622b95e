/**
 * The delivery workers of one process: a loop that claims due rows while there is room (at
 * most `concurrency` Web Push requests and Expo batches in flight) and polls when there is
 * nothing to do. Several processes may run it against one database: claims skip each
 * other's rows. stop() drains: no new claims, the attempts in flight finish and are
 * recorded (each has a timeout, so this ends).
 */
import { SpanKind } from '@opentelemetry/api';
import { inSpanContinuing } from '@wren/platform';
import { type ClaimedDelivery, claimDue } from '../db/queries/deliveries.js';
import { MAX_MESSAGES_PER_REQUEST, MAX_RECEIPT_IDS_PER_REQUEST } from './expo.js';
import { deliverExpoBatch } from './expo-job.js';
import type { DeliveryDeps } from './outcomes.js';
import { checkExpoReceipts } from './receipts.js';
import { deliverWebPush } from './web-push-job.js';

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

  const room = () => concurrency - inFlight.size;

  function track(job: () => Promise<void>): void {
    // A job that throws (the database went away) leaves its rows claimed: their lease runs
    // out and they are tried again, which is the crash path, not a loss.
    const promise = job()
      .catch((error: unknown) => logger.error({ err: error }, 'push delivery job failed'))
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
        .catch((error: unknown) => {
          logger.error({ err: error }, 'claiming push deliveries failed');
          return false;
        })
        .then((more) => {
          ticking = undefined;
          schedule(more && room() > 0 ? 0 : pollIntervalMs);
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
