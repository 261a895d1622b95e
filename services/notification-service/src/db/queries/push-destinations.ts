/** Where a user's pushes go: Web Push subscriptions and Expo push tokens. */
import { uuidv7 } from '@wren/platform';
import { type Kysely, sql } from 'kysely';
import type { NotificationDatabase } from '../schema.js';

export interface SubscriptionKeys {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface StoredSubscription extends SubscriptionKeys {
  id: string;
  user_id: string;
}

/** Serialises one user's registrations, so that two at once cannot both pass the limit. */
async function lockUser(db: Kysely<NotificationDatabase>, userId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`push:${userId}`}, 0))`.execute(db);
}

/** What registering a destination came to. */
export type Registration<T> =
  | { kind: 'stored'; value: T }
  /** The user already has `max` other destinations of this kind. */
  | { kind: 'too-many' }
  /** Another account has the destination: it is never moved silently (see docs/api.md). */
  | { kind: 'taken' };

/**
 * Stores the subscription for `userId` (call inside a transaction). The same endpoint again
 * from the same user replaces its keys and keeps its id; from another user it changes
 * nothing — whoever registers a known endpoint would otherwise receive its owner's pushes.
 */
export async function upsertWebPushSubscription(
  db: Kysely<NotificationDatabase>,
  userId: string,
  subscription: SubscriptionKeys,
  max: number,
): Promise<Registration<string>> {
  await lockUser(db, userId);
  const others = await db
    .selectFrom('web_push_subscriptions')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .where('endpoint', '<>', subscription.endpoint)
    .executeTakeFirstOrThrow();
  if (Number(others.count) >= max) return { kind: 'too-many' };
  const row = await db
    .insertInto('web_push_subscriptions')
    .values({ id: uuidv7(), user_id: userId, ...subscription })
    .onConflict((oc) =>
      oc
        .column('endpoint')
        .doUpdateSet((eb) => ({
          p256dh: eb.ref('excluded.p256dh'),
          auth: eb.ref('excluded.auth'),
          updated_at: sql<Date>`now()`,
        }))
        // Another user's endpoint: no row is written, none returned.
        .where('web_push_subscriptions.user_id', '=', userId),
    )
    .returning('id')
    .executeTakeFirst();
  return row ? { kind: 'stored', value: row.id } : { kind: 'taken' };
}

export async function deleteWebPushSubscription(
  db: Kysely<NotificationDatabase>,
  userId: string,
  endpoint: string,
): Promise<void> {
  await db
    .deleteFrom('web_push_subscriptions')
    .where('user_id', '=', userId)
    .where('endpoint', '=', endpoint)
    .execute();
}

/** The push service said the subscription is gone (404/410). */
export async function deleteWebPushSubscriptionById(db: Kysely<NotificationDatabase>, id: string): Promise<void> {
  await db.deleteFrom('web_push_subscriptions').where('id', '=', id).execute();
}

export async function findWebPushSubscription(
  db: Kysely<NotificationDatabase>,
  id: string,
): Promise<StoredSubscription | undefined> {
  return db
    .selectFrom('web_push_subscriptions')
    .select(['id', 'user_id', 'endpoint', 'p256dh', 'auth'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Like web subscriptions: a token stays with the user who registered it until they remove it. */
export async function upsertExpoPushToken(
  db: Kysely<NotificationDatabase>,
  userId: string,
  token: string,
  max: number,
): Promise<Registration<string>> {
  await lockUser(db, userId);
  const others = await db
    .selectFrom('expo_push_tokens')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .where('token', '<>', token)
    .executeTakeFirstOrThrow();
  if (Number(others.count) >= max) return { kind: 'too-many' };
  const row = await db
    .insertInto('expo_push_tokens')
    .values({ token, user_id: userId })
    // The same user again: a no-op update, so that the row comes back.
    .onConflict((oc) =>
      oc
        .column('token')
        .doUpdateSet((eb) => ({ user_id: eb.ref('excluded.user_id') }))
        .where('expo_push_tokens.user_id', '=', userId),
    )
    .returning('token')
    .executeTakeFirst();
  return row ? { kind: 'stored', value: row.token } : { kind: 'taken' };
}

export async function deleteExpoPushToken(
  db: Kysely<NotificationDatabase>,
  token: string,
  userId?: string,
): Promise<void> {
  let query = db.deleteFrom('expo_push_tokens').where('token', '=', token);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  await query.execute();
}

/** Each token among `tokens` that is still registered, with its owner. */
export async function expoTokenOwners(
  db: Kysely<NotificationDatabase>,
  tokens: string[],
): Promise<Map<string, string>> {
  if (tokens.length === 0) return new Map();
  const rows = await db
    .selectFrom('expo_push_tokens')
    .select(['token', 'user_id'])
    .where('token', 'in', tokens)
    .execute();
  return new Map(rows.map((row) => [row.token, row.user_id]));
}

export interface Destinations {
  webPush: { id: string; user_id: string }[];
  expo: { token: string; user_id: string }[];
}

export interface PushTargets extends Destinations {
  /** (recipient, type) cells with that channel off, as `user:type` keys. */
  webPushOff: Set<string>;
  expoOff: Set<string>;
}

/**
 * The push destinations of `userIds` and the push channels they turned off, in one round
 * trip: it runs for every event that makes notifications, usually to find none.
 */
export async function pushTargetsOf(db: Kysely<NotificationDatabase>, userIds: string[]): Promise<PushTargets> {
  const targets: PushTargets = { webPush: [], expo: [], webPushOff: new Set(), expoOff: new Set() };
  if (userIds.length === 0) return targets;
  const { rows } = await sql<{ kind: 'web_push' | 'expo' | 'off'; user_id: string; value: string; channel: string }>`
    SELECT 'web_push' AS kind, user_id, id::text AS value, '' AS channel
      FROM web_push_subscriptions WHERE user_id = ANY(${userIds}::uuid[])
    UNION ALL
    SELECT 'expo', user_id, token, '' FROM expo_push_tokens WHERE user_id = ANY(${userIds}::uuid[])
    UNION ALL
    SELECT 'off', user_id, type, channel FROM disabled_preferences
     WHERE user_id = ANY(${userIds}::uuid[]) AND channel IN ('web_push', 'expo_push')
  `.execute(db);
  for (const row of rows) {
    if (row.kind === 'web_push') targets.webPush.push({ id: row.value, user_id: row.user_id });
    else if (row.kind === 'expo') targets.expo.push({ token: row.value, user_id: row.user_id });
    else (row.channel === 'web_push' ? targets.webPushOff : targets.expoOff).add(`${row.user_id}:${row.value}`);
  }
  return targets;
}
