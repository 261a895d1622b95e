/** The push delivery queue: enqueue in the event's transaction, claim, and record outcomes. */
import { type Kysely, sql } from 'kysely';
import type { DeliveryStatusValue, NotificationDatabase, NotificationTypeValue, PushChannelValue } from '../schema.js';

export interface DeliveryDraft {
  id: string;
  notification_id: string;
  recipient_id: string;
  channel: PushChannelValue;
  destination: string;
  traceparent: string;
}

/** A redelivered event finds its rows there already: the unique key makes it nothing. */
export async function enqueueDeliveries(db: Kysely<NotificationDatabase>, drafts: DeliveryDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  await db
    .insertInto('push_deliveries')
    .values(drafts)
    .onConflict((oc) => oc.columns(['notification_id', 'channel', 'destination']).doNothing())
    .execute();
}

export interface ClaimedDelivery {
  id: string;
  notification_id: string;
  recipient_id: string;
  channel: PushChannelValue;
  destination: string;
  attempts: number;
  receipt_checks: number;
  ticket_id: string | null;
  traceparent: string;
}

/**
 * Claims up to `limit` due rows of `channel` in `status` for `leaseMs`. SKIP LOCKED lets
 * workers of several processes claim side by side; the lease (not a held lock) is what keeps
 * a row from a second worker, so a crashed worker's rows come back once it runs out. A
 * pending claim counts an attempt, a ticketed one a receipt check: the new counter is the
 * fence every later write of this claim must match.
 */
export async function claimDue(
  db: Kysely<NotificationDatabase>,
  channel: PushChannelValue,
  status: 'pending' | 'ticketed',
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const counter = status === 'pending' ? sql`attempts = d.attempts + 1` : sql`receipt_checks = d.receipt_checks + 1`;
  const result = await sql<ClaimedDelivery>`
    UPDATE push_deliveries d
    SET locked_until = now() + ${leaseMs} * interval '1 millisecond', updated_at = now(), ${counter}
    FROM (
      SELECT id FROM push_deliveries
      WHERE channel = ${channel} AND status = ${status} AND next_attempt_at <= now()
        AND (locked_until IS NULL OR locked_until <= now())
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) due
    WHERE d.id = due.id
    RETURNING d.id, d.notification_id, d.recipient_id, d.channel, d.destination, d.attempts, d.receipt_checks,
      d.ticket_id, d.traceparent
  `.execute(db);
  return result.rows;
}

export interface Outcome {
  status: DeliveryStatusValue;
  error?: string;
  /** For pending (a retry) and ticketed (the receipt check). */
  nextAttemptAt?: Date;
  /** Not an attempt after all (a wait for data): the claim's attempt is given back. */
  refund?: boolean;
  ticketId?: string;
}

/**
 * Records what one claim came to and releases the row. Matches only while the claim's
 * counters are unchanged: a worker whose lease ran out and was overtaken writes nothing.
 */
export async function recordOutcome(
  db: Kysely<NotificationDatabase>,
  claim: ClaimedDelivery,
  outcome: Outcome,
): Promise<boolean> {
  const finished = outcome.status !== 'pending' && outcome.status !== 'ticketed';
  const result = await db
    .updateTable('push_deliveries')
    .set({
      status: outcome.status,
      last_error: outcome.error ?? null,
      locked_until: null,
      updated_at: sql<Date>`now()`,
      ...(outcome.nextAttemptAt ? { next_attempt_at: outcome.nextAttemptAt } : {}),
      ...(outcome.ticketId !== undefined ? { ticket_id: outcome.ticketId } : {}),
      ...(finished ? { finished_at: sql<Date>`now()` } : {}),
      ...(outcome.refund ? { attempts: claim.attempts - 1 } : {}),
    })
    .where('id', '=', claim.id)
    .where('attempts', '=', claim.attempts)
    .where('receipt_checks', '=', claim.receipt_checks)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface PushNotificationRow {
  id: string;
  type: NotificationTypeValue;
  actor_id: string;
  username: string | null;
  display_name: string | null;
  post_id: string | null;
  comment_id: string | null;
  excerpt: string;
  group_key: string;
  created_at: Date;
}

/** The notifications the claimed rows are about, with who acted; deleted ones are absent. */
export async function notificationsForPush(
  db: Kysely<NotificationDatabase>,
  ids: string[],
): Promise<Map<string, PushNotificationRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('notifications as n')
    .leftJoin('actors as a', 'a.id', 'n.actor_id')
    .select([
      'n.id',
      'n.type',
      'n.actor_id',
      'a.username',
      'a.display_name',
      'n.post_id',
      'n.comment_id',
      'n.excerpt',
      'n.group_key',
      'n.created_at',
    ])
    .where('n.id', 'in', ids)
    .where('n.deleted_at', 'is', null)
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

export interface QueueBacklogRow {
  channel: PushChannelValue;
  status: string;
  depth: number;
  /** Seconds the oldest due row has waited past its time (0 when none is due). */
  overdue: number;
}

/** Rows waiting, by channel and status, for the queue metrics. */
export async function pushQueueBacklog(db: Kysely<NotificationDatabase>): Promise<QueueBacklogRow[]> {
  const result = await sql<QueueBacklogRow>`
    SELECT channel, status, count(*)::int AS depth,
           coalesce(extract(epoch FROM now() - min(next_attempt_at) FILTER (WHERE next_attempt_at <= now())), 0)::float8
             AS overdue
      FROM push_deliveries
     WHERE status IN ('pending', 'ticketed')
     GROUP BY channel, status
  `.execute(db);
  return result.rows;
}
