/**
 * Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. Clients
 * must not build them; a cursor that does not decode to the expected shape is a client
 * error on the field that carried it.
 */
import { invalidArgument } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

type CursorValue = string | number;

export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor whose elements have the given types ('string' | 'number'), or returns
 * undefined for an empty token (the first page).
 */
export function decodeCursor<T extends readonly CursorValue[]>(
  token: string,
  shape: readonly ('string' | 'number')[],
  field = 'page_token',
): T | undefined {
  if (token === '') return undefined;
  const bad = () => invalidArgument({ field, description: 'is not a valid cursor' });
  if (token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(values) || values.length !== shape.length) throw bad();
  values.forEach((value, index) => {
    const expected = shape[index];
    if (typeof value !== expected) throw bad();
    if (typeof value === 'number' && !Number.isFinite(value)) throw bad();
    if (typeof value === 'string' && value.length > 200) throw bad();
  });
  return values as unknown as T;
}

/** 0 means the default; anything outside 1..MAX_PAGE_SIZE is refused, never clamped silently. */
export function pageSize(requested: number, field = 'page_size'): number {
  if (requested === 0) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_PAGE_SIZE) {
    throw invalidArgument({ field, description: `must be between 1 and ${MAX_PAGE_SIZE}` });
  }
  return requested;
}

/**
 * Splits a page fetched with `limit + 1` rows into the page and the cursor of the next one.
 */
export function paginate<Row>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => readonly CursorValue[],
): { items: Row[]; nextPageToken: string } {
  if (rows.length <= limit) return { items: rows, nextPageToken: '' };
  const items = rows.slice(0, limit);
  return { items, nextPageToken: encodeCursor(keyOf(items[items.length - 1] as Row)) };
}
