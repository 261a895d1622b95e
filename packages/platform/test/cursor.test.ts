import { Status } from 'nice-grpc-common';
import { RichServerError } from 'nice-grpc-error-details';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageSize, paginate } from '../src/cursor.js';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RichServerError);
    expect((error as RichServerError).code).toBe(Status.INVALID_ARGUMENT);
    const details = (error as RichServerError).extra as { fieldViolations?: { field: string }[] }[];
    return details[0]?.fieldViolations?.[0]?.field;
  }
  return undefined;
}

describe('keyset cursors', () => {
  it('round-trips the sort key of the last row', () => {
    const token = encodeCursor(['2026-11-25T12:00:00.123456Z', 'b3f1']);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token, ['string', 'string'])).toEqual(['2026-11-25T12:00:00.123456Z', 'b3f1']);
  });

  it('treats an empty token as the first page', () => {
    expect(decodeCursor('', ['string'])).toBeUndefined();
  });

  it.each([
    ['not base64url', '!!!'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['wrong arity', encodeCursor(['a'])],
    ['wrong types', encodeCursor([1, 2])],
    ['too long', 'a'.repeat(600)],
  ])('refuses a cursor that is %s, naming the field', (_, token) => {
    expect(fieldOf(() => decodeCursor(token, ['string', 'string'], 'page_token'))).toBe('page_token');
  });

  it('defaults the page size and refuses sizes outside 1..100', () => {
    expect(pageSize(0)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(fieldOf(() => pageSize(101))).toBe('page_size');
    expect(fieldOf(() => pageSize(-1))).toBe('page_size');
  });

  it('cuts a page fetched with limit + 1 rows and points at its last row', () => {
    const rows = [{ k: 5 }, { k: 4 }, { k: 3 }];
    const page = paginate(rows, 2, (row) => [row.k]);
    expect(page.items).toEqual([{ k: 5 }, { k: 4 }]);
    expect(decodeCursor(page.nextPageToken, ['number'])).toEqual([4]);
    expect(paginate(rows, 3, (row) => [row.k]).nextPageToken).toBe('');
  });
});
