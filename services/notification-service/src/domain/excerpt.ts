/**
 * The excerpt stored with a notification: the start of the target's text as the event gave
 * it, cut at a grapheme boundary so that an emoji or accented letter is never split.
 */
export const MAX_EXCERPT_GRAPHEMES = 100;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function truncateExcerpt(text: string, max = MAX_EXCERPT_GRAPHEMES): string {
  const graphemes: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    graphemes.push(segment);
    // One more than fits tells that the text goes on, and is replaced by the ellipsis.
    if (graphemes.length > max)
      return `${graphemes
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
  }
  return text;
}
