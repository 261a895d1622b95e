/**
 * A worker that claimed rows and died: its claims run out and another worker delivers them,
 * once. The service runs no worker itself (PUSH_WORKER_CONCURRENCY=0), so the test plays both.
 */
import { createLogger, uuidv7 } from '@wren/platform';
import { startWebPushReceiver, type WebPushReceiver } from '@wren/testkit/push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDue } from '../src/db/queries/deliveries.js';
import { startDeliveryWorker } from '../src/delivery/worker.js';
import { as, deliver, registerUser, startTestServices, type TestServices } from './helpers.js';
import { deliveriesTo, FAST_PUSH_ENV, settled, sleep } from './push-helpers.js';

describe('push delivery across a worker crash', () => {
  let svc: TestServices;
  let receiver: WebPushReceiver;

  beforeAll(async () => {
    receiver = await startWebPushReceiver();
    svc = await startTestServices({ ...FAST_PUSH_ENV, PUSH_WORKER_CONCURRENCY: '0' });
  });
  afterAll(async () => {
    await svc?.stop();
    await receiver?.close();
  });

  it('delivers the rows of a crashed worker exactly once, after its lease', async () => {
    const ana = await registerUser(svc, 'ana');
    const subscriptions = [receiver.subscribe(), receiver.subscribe()];
    for (const subscription of subscriptions) await svc.push.registerWebPushSubscription({ subscription }, as(ana));
    await deliver(svc, {
      $case: 'postLiked',
      value: { postId: uuidv7(), postAuthorId: ana.id, likerId: uuidv7(), excerpt: '' },
    });
    expect((await deliveriesTo(svc, ana.id)).map((r) => r.status)).toEqual(['pending', 'pending']);

    // The "crashed" worker: claims both rows for 600 ms, then never reports.
    const leaseMs = 600;
    const claimedAt = Date.now();
    expect(await claimDue(svc.db, 'web_push', 'pending', 10, leaseMs)).toHaveLength(2);

    const config = { ...svc.config.push, delivery: { ...svc.config.push.delivery, concurrency: 4 } };
    const worker = startDeliveryWorker({ db: svc.db, config, logger: createLogger('worker', 'error') });
    try {
      await sleep(300);
      expect(receiver.attempts).toEqual([]);
      const pushes = await receiver.waitFor(2);
      expect(Math.min(...pushes.map((p) => p.at)) - claimedAt).toBeGreaterThanOrEqual(leaseMs - 50);
      const rows = await settled(svc, ana.id);
      // The crashed claim counts as an attempt.
      expect(rows.map((r) => `${r.status} ${r.attempts}`)).toEqual(['delivered 2', 'delivered 2']);
      await sleep(200);
      expect(receiver.received.map((p) => p.subscriptionId).sort()).toEqual(subscriptions.map((s) => s.id).sort());
    } finally {
      await worker.stop();
    }
  });

  it('stop() waits until the attempt in flight is recorded', async () => {
    const ana = await registerUser(svc, 'ana');
    const subscription = receiver.subscribe();
    await svc.push.registerWebPushSubscription({ subscription }, as(ana));
    await deliver(svc, {
      $case: 'postLiked',
      value: { postId: uuidv7(), postAuthorId: ana.id, likerId: uuidv7(), excerpt: '' },
    });
    const worker = startDeliveryWorker({
      db: svc.db,
      config: { ...svc.config.push, delivery: { ...svc.config.push.delivery, concurrency: 1 } },
      logger: createLogger('worker', 'error'),
    });
    await receiver.waitFor(1, (p) => p.subscriptionId === subscription.id);
    await worker.stop();
    expect(await deliveriesTo(svc, ana.id)).toMatchObject([{ status: 'delivered', attempts: 1 }]);
  });
});
