/**
 * Push delivery in numbers: attempts by channel and outcome (counted where outcomes are
 * recorded), and the queue read at scrape time — rows waiting by status, and how long the
 * oldest due row has waited past its time (a stuck or too-slow worker shows here first).
 */

import { readAtMostEvery } from '@wren/platform';
import type { Kysely } from 'kysely';
import { Counter, Gauge, type Registry } from 'prom-client';
import { type Outcome, pushQueueBacklog } from '../db/queries/deliveries.js';
import type { NotificationDatabase, PushChannelValue } from '../db/schema.js';

const CHANNELS: Record<PushChannelValue, string> = { web_push: 'web', expo_push: 'expo' };
const OUTCOMES = ['delivered', 'ticketed', 'retry', 'gone', 'failed'] as const;

export interface PushMetrics {
  attempted(channel: PushChannelValue, outcome: Outcome): void;
}

export function pushMetrics(registry: Registry, db: Kysely<NotificationDatabase>): PushMetrics {
  const attempts = new Counter({
    name: 'wren_push_attempts_total',
    help: 'Push delivery outcomes by channel (web, expo): delivered, ticketed, retry, gone, failed.',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  // Every series exists from the start, so rate() and ratios work before the first failure.
  for (const channel of Object.values(CHANNELS)) for (const outcome of OUTCOMES) attempts.inc({ channel, outcome }, 0);

  const queue = readAtMostEvery(1000, () => pushQueueBacklog(db));
  new Gauge({
    name: 'wren_push_queue_depth',
    help: 'Push deliveries waiting, by channel and status (pending: to send; ticketed: receipt to check).',
    labelNames: ['channel', 'status'],
    registers: [registry],
    async collect() {
      const rows = await queue();
      for (const channel of Object.values(CHANNELS)) {
        for (const status of ['pending', 'ticketed']) this.set({ channel, status }, 0);
      }
      for (const row of rows) this.set({ channel: CHANNELS[row.channel], status: row.status }, row.depth);
    },
  });
  new Gauge({
    name: 'wren_push_oldest_due_age_seconds',
    help: 'How long the oldest due push delivery has waited past its time, by channel.',
    labelNames: ['channel'],
    registers: [registry],
    async collect() {
      const rows = await queue();
      for (const channel of Object.keys(CHANNELS) as PushChannelValue[]) {
        const overdue = Math.max(0, ...rows.filter((row) => row.channel === channel).map((row) => row.overdue));
        this.set({ channel: CHANNELS[channel] }, overdue);
      }
    },
  });
  return {
    attempted(channel, outcome) {
      const label = outcome.status === 'pending' ? 'retry' : outcome.status;
      attempts.inc({ channel: CHANNELS[channel], outcome: label });
    },
  };
}
