/**
 * What post-service tells other services (notification-service): each event is written to
 * the outbox in the transaction of the change it describes (docs/architecture.md, Events).
 */
import { type EventPayload, publishEvents } from '@wren/platform';
import type { Kysely } from 'kysely';
import { findAuthorsByIds } from '../db/queries/authors.js';
import type { PostDatabase } from '../db/schema.js';
import { isSimpleText } from './text.js';

export const PRODUCER = 'post-service';

const EXCERPT_GRAPHEMES = 100;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The start of a text, cut between user-perceived characters, for a notification. */
export function excerpt(text: string): string {
  if (isSimpleText(text)) return text.length > EXCERPT_GRAPHEMES ? `${text.slice(0, EXCERPT_GRAPHEMES)}…` : text;
  let out = '';
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (count === EXCERPT_GRAPHEMES) return `${out}…`;
    out += segment;
    count += 1;
  }
  return out;
}

export const postEvents = {
  mentioned: (postId: string, authorId: string, mentionedUserIds: string[], text: string): EventPayload => ({
    $case: 'postMentioned',
    value: { postId, authorId, mentionedUserIds, excerpt: excerpt(text) },
  }),
  liked: (postId: string, postAuthorId: string, likerId: string, text: string): EventPayload => ({
    $case: 'postLiked',
    value: { postId, postAuthorId, likerId, excerpt: excerpt(text) },
  }),
  commentCreated: (value: {
    commentId: string;
    postId: string;
    postAuthorId: string;
    authorId: string;
    parentId: string;
    parentAuthorId: string;
    mentionedUserIds: string[];
    text: string;
  }): EventPayload => {
    const { text, ...rest } = value;
    return { $case: 'commentCreated', value: { ...rest, excerpt: excerpt(text) } };
  },
  commentLiked: (
    commentId: string,
    postId: string,
    commentAuthorId: string,
    likerId: string,
    text: string,
  ): EventPayload => ({
    $case: 'commentLiked',
    value: { commentId, postId, commentAuthorId, likerId, excerpt: excerpt(text) },
  }),
  shared: (shareId: string, postId: string, postAuthorId: string, sharerId: string, quote: string, text: string) =>
    ({
      $case: 'postShared',
      value: { shareId, postId, postAuthorId, sharerId, quote, excerpt: excerpt(text) },
    }) satisfies EventPayload,
  postDeleted: (postId: string): EventPayload => ({ $case: 'postDeleted', value: { postId } }),
  commentDeleted: (commentId: string, postId: string): EventPayload => ({
    $case: 'commentDeleted',
    value: { commentId, postId },
  }),
};

/** Who acted in an event: the user a notification about it names. */
function actorOf(payload: EventPayload): string | undefined {
  switch (payload.$case) {
    case 'postMentioned':
      return payload.value.authorId;
    case 'postLiked':
      return payload.value.likerId;
    case 'commentCreated':
      return payload.value.authorId;
    case 'commentLiked':
      return payload.value.likerId;
    case 'postShared':
      return payload.value.sharerId;
    default:
      return undefined;
  }
}

/** Publishes with post-service's profiles of the actors attached (see `Event.actors`). */
export async function publish(trx: Kysely<PostDatabase>, ...payloads: EventPayload[]): Promise<void> {
  const actorIds = [...new Set(payloads.map(actorOf).filter((id): id is string => id !== undefined))];
  const actors = (await findAuthorsByIds(trx, actorIds)).map((row) => ({
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
  }));
  await publishEvents(trx, PRODUCER, payloads, new Date(), actors);
}
