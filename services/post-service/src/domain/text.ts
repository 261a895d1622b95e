/**
 * The rules for user-written text (posts, comments, share quotes) and what is extracted
 * from it. Length is counted in user-perceived characters (grapheme clusters), so an emoji
 * family or an accented letter built from combining marks counts as one; a link counts as
 * LINK_WEIGHT characters whatever its length (as on X/Twitter, where every URL weighs 23),
 * so long URLs do not eat the text. The gateway bounds the raw size (2,000 UTF-16 units).
 */

export const MAX_TEXT_GRAPHEMES = 500;
export const LINK_WEIGHT = 23;
const LINK = /\bhttps?:\/\/[^\s]+/giu;
const MAX_HASHTAG_LENGTH = 100;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// In ASCII only CR LF forms a cluster of more than one code point; without a CR, each
// character is one grapheme. Segmenting costs ≈ 0.4 µs a character, and most posts are ASCII.
const CARRIAGE_RETURN = 13;

/** Whether every character of `text` is a grapheme of its own (so length = graphemes). */
export function isSimpleText(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code > 0x7f || code === CARRIAGE_RETURN) return false;
  }
  return true;
}

export function graphemeCount(text: string): number {
  if (isSimpleText(text)) return text.length;
  let count = 0;
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

/** The length a text counts for: its characters, with every link counted as LINK_WEIGHT. */
export function weightedLength(text: string): number {
  let links = 0;
  const rest = text.replace(LINK, () => {
    links += 1;
    return '';
  });
  return graphemeCount(rest) + links * LINK_WEIGHT;
}

// Control characters other than the line feed: tabs, NUL, escape sequences, DEL, C1.
const FORBIDDEN_CONTROL = /(?!\n)\p{Cc}/u;

export type TextCheck = { ok: true; text: string } | { ok: false; problem: string };

/**
 * Normalises (NFC, CRLF → LF, trimmed) and checks a text. `optional` lets an empty text
 * through (a share without a quote).
 */
export function checkText(raw: string, options: { optional?: boolean } = {}): TextCheck {
  const text = raw.replace(/\r\n/g, '\n').normalize('NFC').trim();
  if (text === '') {
    if (options.optional && raw === '') return { ok: true, text: '' };
    return { ok: false, problem: raw === '' ? 'must not be empty' : 'must not be only whitespace' };
  }
  if (FORBIDDEN_CONTROL.test(text)) return { ok: false, problem: 'must not contain control characters' };
  if (weightedLength(text) > MAX_TEXT_GRAPHEMES) {
    return { ok: false, problem: `must be at most ${MAX_TEXT_GRAPHEMES} characters (a link counts as ${LINK_WEIGHT})` };
  }
  return { ok: true, text };
}

// A mention is not part of a word or an e-mail address, and a longer name is not a mention
// of its prefix.
const MENTION = /(?<![\p{L}\p{N}_@])@([A-Za-z0-9_]{3,30})(?![\p{L}\p{N}_])/gu;
const HASHTAG = /(?<![\p{L}\p{M}\p{N}_&#])#([\p{L}\p{M}\p{N}_]+)/gu;

/** @names in order of first appearance, lower-cased (usernames are stored lower-case). */
export function extractMentionNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(MENTION)) names.add((match[1] as string).toLowerCase());
  return [...names];
}

/** #tags without '#', lower-cased, deduplicated, in order of first appearance. */
export function extractHashtags(text: string): string[] {
  const tags = new Set<string>();
  for (const match of text.matchAll(HASHTAG)) {
    const tag = (match[1] as string).toLowerCase();
    // An over-long run is not a tag at all (rather than a truncated one).
    if (tag.length <= MAX_HASHTAG_LENGTH) tags.add(tag);
  }
  return [...tags];
}

/**
 * The users `names` (as extractMentionNames gives them) point at, among `known` (by
 * lower-case username), first mention first, each once: what a post stores as its mentions.
 */
export function mentionsInOrder(
  names: readonly string[],
  known: ReadonlyMap<string, { id: string; username: string }>,
): { user_id: string; username: string }[] {
  const seen = new Set<string>();
  const mentions: { user_id: string; username: string }[] = [];
  for (const name of names) {
    const user = known.get(name);
    if (!user || seen.has(user.id)) continue;
    seen.add(user.id);
    mentions.push({ user_id: user.id, username: user.username });
  }
  return mentions;
}
