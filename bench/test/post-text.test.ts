import { describe, expect, it } from 'vitest';
import { checkText, extractMentionNames } from '../../services/post-service/src/domain/text.js';
import { BODY_CHARS, MAX_POST_CHARS, postText, usernameOf, weightedLength } from '../src/post-text.js';
import { Prng } from '../src/prng.js';

const SHAPE = /^[A-Za-z0-9]+((?: @username_\d+)+)((?: http:\/\/[A-Za-z0-9]{64})+)$/;

function draw(seed: number, count: number, userCount = 962) {
  const prng = new Prng(seed, 'test');
  return Array.from({ length: count }, (_, index) => postText(prng, index % userCount, userCount));
}

describe('postText', () => {
  it('is DeathStarBench-shaped: alphanumerics, then 1–6 mentions, then 1–6 URLs of 64 characters', () => {
    for (const post of draw(1, 500)) {
      const match = SHAPE.exec(post.text);
      expect(match, post.text).not.toBeNull();
      expect(post.mentions.length).toBeGreaterThanOrEqual(1);
      expect(post.mentions.length).toBeLessThanOrEqual(6);
      expect(match?.[1]?.trim().split(' ')).toEqual(post.mentions.map((id) => `@${usernameOf(id)}`));
      expect(match?.[2]?.trim().split(' ')).toHaveLength(post.urlsKept);
      expect(post.urlsKept).toBeGreaterThanOrEqual(1);
      expect(post.urlsKept).toBeLessThanOrEqual(post.urlsDrawn);
    }
  });

  it("is DeathStarBench's text unchanged: Wren counts links as 23, so even the longest fits 500", () => {
    for (const post of draw(2, 1000, 4039)) {
      expect(post.bodyLength).toBe(BODY_CHARS);
      expect(post.urlsKept).toBe(post.urlsDrawn);
      expect(weightedLength(post.text)).toBeLessThanOrEqual(MAX_POST_CHARS);
      // The service's own rule agrees, and it finds every mention.
      expect(checkText(post.text)).toEqual({ ok: true, text: post.text });
      expect(extractMentionNames(post.text)).toEqual(post.mentions.map(usernameOf));
    }
    // …although many are longer than 500 plain characters.
    expect(Math.max(...draw(3, 500, 4039).map((post) => post.text.length))).toBeGreaterThan(MAX_POST_CHARS);
  });

  it('weighs a text as Wren does: characters, each link as 23', () => {
    expect(weightedLength('abc')).toBe(3);
    expect(weightedLength(`abc http://${'x'.repeat(64)} @u`)).toBe(3 + 1 + 23 + 3);
    expect(weightedLength('https://a.b/c and http://d')).toBe(23 + 5 + 23);
  });

  it('under a tighter limit, shortens the body first and drops URLs last, keeping every mention', () => {
    const prng = new Prng(5);
    const posts = Array.from({ length: 2000 }, (_, i) => postText(prng, i % 962, 962, 250));
    for (const post of posts) {
      expect(weightedLength(post.text)).toBeLessThanOrEqual(250);
      expect(extractMentionNames(post.text)).toHaveLength(post.mentions.length);
      // URLs go only when the body is down to its floor: one URL more would leave it under 64.
      if (post.urlsKept < post.urlsDrawn) expect(post.bodyLength).toBeLessThan(64 + 24);
      expect(post.bodyLength).toBeGreaterThanOrEqual(64);
    }
    expect(posts.some((post) => post.bodyLength < BODY_CHARS && post.urlsKept === post.urlsDrawn)).toBe(true);
    expect(posts.some((post) => post.urlsKept < post.urlsDrawn)).toBe(true);
    // Every count of mentions and URLs DeathStarBench draws shows up.
    expect(new Set(posts.map((post) => post.mentions.length))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(new Set(posts.map((post) => post.urlsDrawn))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });

  it('never mentions the author or anyone twice', () => {
    const prng = new Prng(4);
    for (let i = 0; i < 300; i += 1) {
      const post = postText(prng, 3, 8);
      expect(post.mentions).not.toContain(3);
      expect(new Set(post.mentions).size).toBe(post.mentions.length);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    expect(draw(7, 20).map((post) => post.text)).toEqual(draw(7, 20).map((post) => post.text));
    expect(draw(8, 20).map((post) => post.text)).not.toEqual(draw(7, 20).map((post) => post.text));
  });
});
