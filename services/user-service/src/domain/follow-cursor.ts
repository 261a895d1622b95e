/**
 * Page tokens of follower and following lists: the (followed_at, user id) of the last entry
 * shown. followed_at is stored at millisecond precision, so its ISO form round-trips exactly
 * and the next page starts strictly after the last row, never skipping or repeating one.
 */
import { decodeCursor, invalidArgument, isUuid } from '@wren/platform';
import type { FollowPageKey } from '../db/queries/follows.js';

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The cursor values of an entry; `paginate` encodes them. */
export function followCursorValues(key: FollowPageKey): readonly [string, string] {
  return [key.followedAt.toISOString(), key.userId];
}

export function decodeFollowCursor(token: string): FollowPageKey | undefined {
  const values = decodeCursor<[string, string]>(token, ['string', 'string']);
  if (values === undefined) return undefined;
  const [iso, userId] = values;
  const followedAt = new Date(iso);
  // Well-formed JSON can still carry anything; only what this service wrote is accepted.
  if (
    !ISO_MILLIS.test(iso) ||
    Number.isNaN(followedAt.getTime()) ||
    followedAt.toISOString() !== iso ||
    !isUuid(userId)
  ) {
    throw invalidArgument({ field: 'page_token', description: 'is not a valid cursor' });
  }
  return { followedAt, userId };
}
