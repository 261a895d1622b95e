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

/**
 * Stores the subscription for `userId` (call inside a transaction). The same endpoint again
 * replaces its keys; an endpoint another user had moves to this one under a new id, so that
 * the previous user's queued pushes (addressed by id) are never sent to the new one.
 * Returns undefined when the user already has `max` other subscriptions.
 */
export async function upsertWebPushSubscription(
  db: Kysely<NotificationDatabase>,
  userId: string,
  subscription: SubscriptionKeys,
  max: number,
): Promise<string | undefined> {
  await lockUser(db, userId);
  const others = await db
    .selectFrom('web_push_subscriptions')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .where('endpoint', '<>', subscription.endpoint)
    .executeTakeFirstOrThrow();
  if (Number(others.count) >= max) return undefined;
  const row = await db
    .insertInto('web_push_subscriptions')
    .values({ id: uuidv7(), user_id: userId, ...subscription })
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet((eb) => ({
        id: sql<string>`CASE WHEN web_push_subscriptions.user_id = excluded.user_id
          THEN web_push_subscriptions.id ELSE excluded.id END`,
        user_id: eb.ref('excluded.user_id'),
        p256dh: eb.ref('excluded.p256dh'),
        auth: eb.ref('excluded.auth'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
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

/** Like web subscriptions: a token belongs to the user who registered it last. */
export async function upsertExpoPushToken(
  db: Kysely<NotificationDatabase>,
  userId: string,
  token: string,
  max: number,
): Promise<boolean> {
  await lockUser(db, userId);
  const others = await db
    .selectFrom('expo_push_tokens')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .where('token', '<>', token)
    .executeTakeFirstOrThrow();
  if (Number(others.count) >= max) return false;
  await db
    .insertInto('expo_push_tokens')
    .values({ token, user_id: userId })
    .onConflict((oc) => oc.column('token').doUpdateSet((eb) => ({ user_id: eb.ref('excluded.user_id') })))
    .execute();
  return true;
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

export async function destinationsOf(db: Kysely<NotificationDatabase>, userIds: string[]): Promise<Destinations> {
  if (userIds.length === 0) return { webPush: [], expo: [] };
  // One after the other: inside the event's transaction there is one connection.
  const webPush = await db
    .selectFrom('web_push_subscriptions')
    .select(['id', 'user_id'])
    .where('user_id', 'in', userIds)
    .execute();
  const expo = await db
    .selectFrom('expo_push_tokens')
    .select(['token', 'user_id'])
    .where('user_id', 'in', userIds)
    .execute();
  return { webPush, expo };
}
