/**
 * Text PostgreSQL cannot store: a `text` value may not hold U+0000, and UTF-8 has no
 * encoding for an unpaired UTF-16 surrogate (JSON's "\ud800" decodes to one). Either reaches
 * SQL as an encoding error, a 500, so every entry point refuses it up front with this rule.
 */

// With the `u` flag a well-formed pair is one code point outside Cs; only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why this string cannot be stored, or undefined when it can. */
export function unstorableTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL (U+0000) characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired surrogates (invalid Unicode)';
  return undefined;
}

export interface UnstorableString {
  /** Object keys and array indexes from the root to the string. */
  path: (string | number)[];
  problem: string;
}

/**
 * Every unstorable string in a decoded value (JSON, a parsed query string, or a protobuf
 * message as plain objects), with where it is. Bytes (Uint8Array, Buffer) may hold any byte
 * and dates hold no text, so neither is entered; any other object's own fields are (a parsed
 * query string is not a plain object: its prototype is a null-prototype object).
 */
export function findUnstorableStrings(value: unknown, path: (string | number)[] = []): UnstorableString[] {
  if (typeof value === 'string') {
    const problem = unstorableTextProblem(value);
    return problem === undefined ? [] : [{ path, problem }];
  }
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => findUnstorableStrings(item, [...path, index]));
  if (ArrayBuffer.isView(value) || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, item]) => findUnstorableStrings(item, [...path, key]));
}
