import type { Migrations } from '@wren/platform';
import * as notifications from './2026-11-25T1200-notifications.js';
import * as notificationRules from './2026-11-25T1300-notification-rules.js';
import * as pushDelivery from './2026-11-25T1500-push-delivery.js';
import * as deliveryTraceContext from './2026-11-25T1600-delivery-trace-context.js';

/** Append-only: add new migrations at the end, never edit an applied one. */
export const migrations: Migrations = {
  '2026-11-25T1200-notifications': notifications,
  '2026-11-25T1300-notification-rules': notificationRules,
  '2026-11-25T1500-push-delivery': pushDelivery,
  '2026-11-25T1600-delivery-trace-context': deliveryTraceContext,
};
