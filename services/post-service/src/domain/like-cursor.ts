/**
 * Page tokens of liker lists: the (liked_at, user id) of the last like shown. liked_at is
 * written from a JS Date (millisecond precision), so its ISO form round-trips exactly.
 */
import { decodeCursor, invalidArgument, isUuid } from '@wren/platform';
import type { LikePageKey, LikeRow } from '../db/queries/likes.js';

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function likeCursorValues(row: LikeRow): readonly [string, string] {
  return [row.liked_at.toISOString(), row.user_id];
}

export function decodeLikeCursor(token: string): LikePageKey | undefined {
  const values = decodeCursor<[string, string]>(token, ['string', 'string']);
  if (values === undefined) return undefined;
  const [iso, userId] = values;
  const likedAt = new Date(iso);
  if (!ISO_MILLIS.test(iso) || Number.isNaN(likedAt.getTime()) || likedAt.toISOString() !== iso || !isUuid(userId)) {
    throw invalidArgument({ field: 'page_token', description: 'is not a valid cursor' });
  }
  return { likedAt, userId };
}
