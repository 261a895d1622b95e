/**
 * Post texts the DeathStarBench way (wrk2/scripts/social-network/compose-post.lua): 256
 * random alphanumeric characters, then 1–6 ` @username` mentions of other users, then 1–6
 * ` http://` URLs of 64 random characters: 269–772 characters, about 560 on average.
 *
 * Wren takes at most 500, counting every link as 23 (LINK_WEIGHT in post-service's
 * domain/text.ts, as on X), so the longest DeathStarBench text weighs 256 + 6 × 15 + 6 × 24
 * = 490 and every one fits as it is. Should the rule tighten again, the text is fitted the
 * way that keeps what costs the service something — every mention, the text as long as
 * allowed: the random body shrinks from 256 down to MIN_BODY characters first, and only
 * then are URLs dropped from the end (at least one stays). The seeding report counts both.
 */
import type { Prng } from './prng.js';

export const MAX_POST_CHARS = 500;
export const LINK_WEIGHT = 23;
export const BODY_CHARS = 256;
export const URL_RANDOM_CHARS = 64;
export const MIN_BODY = 64;
export const MENTIONS = { min: 1, max: 6 } as const;
export const URLS = { min: 1, max: 6 } as const;

/** The bench's username of graph node `id` (DeathStarBench's naming). */
export const usernameOf = (id: number): string => `username_${id}`;

/** The length Wren counts: characters, with every http(s) link as LINK_WEIGHT. */
export function weightedLength(text: string): number {
  let links = 0;
  const rest = text.replace(/\bhttps?:\/\/\S+/giu, () => {
    links += 1;
    return '';
  });
  return [...rest].length + links * LINK_WEIGHT;
}

export interface PostText {
  text: string;
  /** Node ids mentioned, in order; distinct and never the author. */
  mentions: number[];
  /** URLs generated, and kept after fitting. */
  urlsDrawn: number;
  urlsKept: number;
  bodyLength: number;
}

/** `count` distinct node ids other than `exclude`, drawn uniformly. */
function otherUsers(prng: Prng, count: number, userCount: number, exclude: number): number[] {
  const chosen: number[] = [];
  const wanted = Math.min(count, userCount - 1);
  while (chosen.length < wanted) {
    const id = prng.int(0, userCount - 1);
    if (id !== exclude && !chosen.includes(id)) chosen.push(id);
  }
  return chosen;
}

/** `maxChars` is Wren's limit; tests pass a smaller one to exercise the fitting. */
export function postText(prng: Prng, authorId: number, userCount: number, maxChars = MAX_POST_CHARS): PostText {
  // Draw everything first, in a fixed order, so fitting never changes what later posts get.
  const body = prng.alphanumeric(BODY_CHARS);
  const mentions = otherUsers(prng, prng.int(MENTIONS.min, MENTIONS.max), userCount, authorId);
  const urlsDrawn = prng.int(URLS.min, URLS.max);
  const urls = Array.from({ length: urlsDrawn }, () => ` http://${prng.alphanumeric(URL_RANDOM_CHARS)}`);

  const mentionText = mentions.map((id) => ` @${usernameOf(id)}`).join('');
  // Each URL is a space and a link; the link weighs LINK_WEIGHT whatever its length.
  const room = () => maxChars - mentionText.length - urls.length * (1 + LINK_WEIGHT);
  while (room() < MIN_BODY && urls.length > 1) urls.pop();
  const bodyLength = Math.max(1, Math.min(BODY_CHARS, room()));
  const text = `${body.slice(0, bodyLength)}${mentionText}${urls.join('')}`;
  return { text, mentions, urlsDrawn, urlsKept: urls.length, bodyLength };
}
