/** What the gateway refuses on the notification routes before notification-service is called. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { NOTIFICATION_ID } from './support/notification-fixtures.js';
import { expectProblem } from './support/problems.js';
import { signTestToken } from './support/tokens.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => h.notification.reset());

const ROUTES = [
  ['GET', '/v1/notifications'],
  ['GET', '/v1/notifications/groups'],
  ['GET', '/v1/notifications/unread-count'],
  ['POST', '/v1/notifications/read'],
  ['DELETE', `/v1/notifications/${NOTIFICATION_ID}`],
  ['GET', '/v1/notifications/preferences'],
  ['PUT', '/v1/notifications/preferences'],
] as const;

test.each(ROUTES)('%s %s needs an access token', async (method, path) => {
  const json = method === 'POST' ? { upTo: NOTIFICATION_ID } : method === 'PUT' ? { preferences: {} } : undefined;
  const problem = await expectProblem(await h.fetch(path, { method, json }), 401, 'unauthenticated');
  expect(problem.code).toBe('MISSING_TOKEN');
  expect(h.notification.calls).toEqual([]);
});

describe('list parameters', () => {
  test.each([
    ['types=likes', ['types.0']],
    ['types=like&types=poke', ['types.1']],
    ['types[]=FOLLOW', ['types.0']],
    ['types=', ['types.0']],
    [`types=${'like&types='.repeat(6)}like`, ['types']],
    ['unread=yes', ['unread']],
    ['unread=', ['unread']],
    ['limit=101', ['limit']],
    ['limit=0', ['limit']],
    ['cursor=%2Fetc%2Fpasswd', ['cursor']],
    [`cursor=${'A'.repeat(513)}`, ['cursor']],
    ['type=like', ['type']],
    ['offset=40', ['offset']],
  ])('?%s', async (query, fields) => {
    for (const path of ['/v1/notifications', '/v1/notifications/groups']) {
      const response = await h.fetch(`${path}?${query}`, { token });
      await expectProblem(response, 400, 'validation-failed', { fields, instance: path });
    }
    expect(h.notification.calls).toEqual([]);
  });
});

describe('POST /v1/notifications/read', () => {
  const ids = (n: number) =>
    Array.from({ length: n }, (_, i) => `0190f2a0-0000-7000-8000-${String(i).padStart(12, '0')}`);

  test.each([
    ['both ids and upTo', { ids: [NOTIFICATION_ID], upTo: NOTIFICATION_ID }, ['ids', 'upTo']],
    ['neither', {}, ['ids', 'upTo']],
    ['more than 100 ids', { ids: ids(101) }, ['ids']],
    ['no ids', { ids: [] }, ['ids']],
    ['an id that is not a UUID', { ids: [NOTIFICATION_ID, 'nope'] }, ['ids.1']],
    ['upTo not a UUID', { upTo: '42' }, ['upTo']],
    ['ids not an array', { ids: NOTIFICATION_ID }, ['ids']],
    ['an unknown field', { upTo: NOTIFICATION_ID, all: true }, ['all']],
  ])('%s', async (_, json, fields) => {
    const response = await h.fetch('/v1/notifications/read', { method: 'POST', token, json });
    const problem = await expectProblem(response, 400, 'validation-failed', { fields });
    expect(problem.errors?.every((error) => error.message.length > 0)).toBe(true);
    expect(h.notification.calls).toEqual([]);
  });

  test('no body at all', async () => {
    await expectProblem(await h.fetch('/v1/notifications/read', { method: 'POST', token }), 400, 'validation-failed');
    expect(h.notification.calls).toEqual([]);
  });

  test('100 ids pass', async () => {
    h.notification.on('markNotificationsRead', async (request) => ({ marked: request.notificationIds.length }));
    const response = await h.fetch('/v1/notifications/read', { method: 'POST', token, json: { ids: ids(100) } });
    expect(await response.json()).toEqual({ marked: 100 });
  });
});

test.each(['123', 'not-a-uuid', `${NOTIFICATION_ID}x`])('DELETE /v1/notifications/%s: ids are UUIDs', async (id) => {
  await expectProblem(await h.fetch(`/v1/notifications/${id}`, { method: 'DELETE', token }), 400, 'validation-failed', {
    fields: ['id'],
  });
  expect(h.notification.calls).toEqual([]);
});

describe('PUT /v1/notifications/preferences', () => {
  test.each([
    ['an unknown type', { preferences: { poke: { inApp: false } } }, ['preferences.poke']],
    ['an unknown channel', { preferences: { like: { sms: false } } }, ['preferences.like.sms']],
    ['a cell that is not a boolean', { preferences: { like: { inApp: 'no' } } }, ['preferences.like.inApp']],
    ['nothing to change', { preferences: {} }, ['preferences']],
    ['a type with nothing to change', { preferences: { like: {} } }, ['preferences.like']],
    [
      'the list form of the proto',
      { preferences: [{ type: 'like', channel: 'inApp', enabled: false }] },
      ['preferences'],
    ],
    ['no preferences', {}, ['preferences']],
    ['an unknown field', { preferences: { like: { inApp: true } }, userId: NOTIFICATION_ID }, ['userId']],
  ])('%s', async (_, json, fields) => {
    const response = await h.fetch('/v1/notifications/preferences', { method: 'PUT', token, json });
    await expectProblem(response, 400, 'validation-failed', { fields });
    expect(h.notification.calls).toEqual([]);
  });
});
