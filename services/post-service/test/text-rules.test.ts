import { describe, expect, it } from 'vitest';
import { checkText, extractHashtags, extractMentionNames, graphemeCount, weightedLength } from '../src/domain/text.js';

describe('graphemeCount', () => {
  it('counts ASCII without a CR by length (the fast path), exactly as the segmenter would', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const slow = (text: string) => [...segmenter.segment(text)].length;
    // Every ASCII character but CR, mixed with a few that are not simple.
    const alphabet = [
      ...Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)),
      'é',
      'e\u0301',
      '👍🏽',
      '\r\n',
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 300; i += 1) {
      const size = next() % 40;
      const pool = i % 2 === 0 ? alphabet.slice(0, 128).filter((c) => c !== '\r') : alphabet;
      const text = Array.from({ length: size }, () => pool[next() % pool.length]).join('');
      expect(graphemeCount(text)).toBe(slow(text));
    }
    expect(graphemeCount('a\r\nb')).toBe(3);
  });

  it('counts user-perceived characters, not code units or code points', () => {
    expect(graphemeCount('abc')).toBe(3);
    expect(graphemeCount('👨‍👩‍👧‍👦')).toBe(1); // four people joined by ZWJ: 11 code units
    expect(graphemeCount('🇫🇷🇯🇵')).toBe(2); // regional-indicator pairs
    expect(graphemeCount('e\u0301\u0327')).toBe(1); // e + two combining marks
    expect(graphemeCount('👍🏽')).toBe(1); // skin-tone modifier
  });
});

describe('checkText', () => {
  it('trims and keeps line feeds', () => {
    expect(checkText('  hi\nthere \n')).toEqual({ ok: true, text: 'hi\nthere' });
    expect(checkText('a\r\nb')).toEqual({ ok: true, text: 'a\nb' });
  });

  it('refuses empty and whitespace-only text', () => {
    expect(checkText('')).toEqual({ ok: false, problem: 'must not be empty' });
    expect(checkText(' \n\u3000 ')).toEqual({ ok: false, problem: 'must not be only whitespace' });
  });

  it('lets an empty optional text through, but not a whitespace-only one', () => {
    expect(checkText('', { optional: true })).toEqual({ ok: true, text: '' });
    expect(checkText('  ', { optional: true }).ok).toBe(false);
  });

  it('refuses control characters other than the line feed, tab included', () => {
    for (const bad of ['a\tb', 'a\u0000b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\rb']) {
      expect(checkText(bad)).toEqual({ ok: false, problem: 'must not contain control characters' });
    }
  });

  it('counts every link as 23 characters, however long (the DeathStarBench post fits)', () => {
    const link = `http://${'a'.repeat(64)}`;
    // 256 characters, six mentions, six 71-character links: 750 code units, 460 counted.
    const benchPost = `${'b'.repeat(256)}${' @user_12345'.repeat(6)}${` ${link}`.repeat(6)}`;
    expect(benchPost.length).toBeGreaterThan(700);
    expect(checkText(benchPost).ok).toBe(true);
    expect(weightedLength(`see ${link}`)).toBe(4 + 23);
    expect(weightedLength('https://x.y')).toBe(23);
    // Only real links: a bare word or "http:" alone counts letter by letter.
    expect(weightedLength('http: nothing')).toBe(13);
    expect(checkText(`${'x'.repeat(476)} ${link}`).ok).toBe(true);
    expect(checkText(`${'x'.repeat(477)} ${link}`).ok).toBe(false);
  });

  it('allows exactly 500 user-perceived characters, however many code units they take', () => {
    expect(checkText('x'.repeat(500)).ok).toBe(true);
    expect(checkText('x'.repeat(501))).toEqual({
      ok: false,
      problem: 'must be at most 500 characters (a link counts as 23)',
    });
    const family = '👨‍👩‍👧‍👦';
    expect(checkText(family.repeat(500))).toEqual({ ok: true, text: family.repeat(500) });
    expect(checkText(family.repeat(501)).ok).toBe(false);
    expect(checkText('e\u0301'.repeat(500)).ok).toBe(true);
    expect(checkText('e\u0301'.repeat(501)).ok).toBe(false);
  });

  it('normalises to NFC, so composed and decomposed input are stored alike', () => {
    expect(checkText('e\u0301')).toEqual({ ok: true, text: '\u00e9' });
  });
});

describe('extractMentionNames', () => {
  it('finds @names of 3 to 30 word characters, lower-cased, deduplicated, in order', () => {
    expect(extractMentionNames('hi @Alice, @bob_1 and @ALICE again')).toEqual(['alice', 'bob_1']);
  });

  it('ignores e-mail addresses, too short and too long names', () => {
    const long = 'x'.repeat(31);
    expect(extractMentionNames(`mail me at ann@example.com, @ab, @${long}, @@carol`)).toEqual([]);
    expect(extractMentionNames(`@${'y'.repeat(30)}.`)).toEqual(['y'.repeat(30)]);
  });

  it('ends a name at punctuation and at non-ASCII letters do not extend it', () => {
    expect(extractMentionNames('(@dave) @erin! @frankö')).toEqual(['dave', 'erin']);
  });
});

describe('extractHashtags', () => {
  it('finds Unicode hashtags, lower-cased, without #, deduplicated, in order of first appearance', () => {
    expect(extractHashtags('#Hello #Ça_va #日本語 #HELLO #año2026')).toEqual(['hello', 'ça_va', '日本語', 'año2026']);
  });

  it('ignores a # inside a word, HTML entities and tags longer than 100 characters', () => {
    expect(extractHashtags(`a#b &#123; ##double #${'z'.repeat(101)} #${'k'.repeat(100)}`)).toEqual(['k'.repeat(100)]);
  });

  it('keeps combining marks inside a tag', () => {
    expect(extractHashtags('#cafe\u0301 ok')).toEqual(['cafe\u0301']);
  });
});
