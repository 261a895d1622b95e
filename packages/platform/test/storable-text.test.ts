/** Text PostgreSQL cannot store, found wherever it is in a decoded value, named as the proto names it. */
import { describe, expect, test } from 'vitest';
import { protoFieldPath } from '../src/grpc/storable-text-middleware.js';
import { findUnstorableStrings, unstorableTextProblem } from '../src/index.js';

describe('unstorable text', () => {
  test.each(['a\u0000b', '\u0000', 'x\ud800', '\udfff', 'ok\ud83d'])('%j cannot be stored', (text) => {
    expect(unstorableTextProblem(text)).toBeDefined();
  });

  test.each(['', 'plain', 'é', '🐦 emoji are surrogate pairs', '\u202e', 'tab\tnew\nline'])('%j can', (text) => {
    expect(unstorableTextProblem(text)).toBeUndefined();
  });

  test('every one is found, with its path; bytes and dates are not text', () => {
    const query = Object.create(Object.create(null)) as Record<string, unknown>;
    query.q = '\u0000';
    const value = {
      ok: 'fine',
      nested: { list: ['fine', 'a\u0000'], deeper: { text: '\ud800' } },
      bytes: new Uint8Array([0, 0xd8]),
      buffer: Buffer.from([0]),
      at: new Date(0),
      query,
    };
    expect(findUnstorableStrings(value).map((found) => found.path)).toEqual([
      ['nested', 'list', 1],
      ['nested', 'deeper', 'text'],
      ['query', 'q'],
    ]);
  });
});

describe('field paths in proto names', () => {
  test('snake_case, indexes in brackets, a oneof named by its case', () => {
    const message = {
      afterNotificationId: '\u0000',
      subscription: { p256dh: '\u0000' },
      notificationIds: ['a', '\u0000'],
      event: { $case: 'webPush', value: { endpointUrl: '\u0000' } },
    };
    expect(findUnstorableStrings(message).map(({ path }) => protoFieldPath(path, message))).toEqual([
      'after_notification_id',
      'subscription.p256dh',
      'notification_ids[1]',
      'web_push.endpoint_url',
    ]);
  });
});
