/**
 * End to end through the gateway and the real notification-service: a new user's empty
 * list, preferences, refusals, and a follow arriving by event (user-service's outbox →
 * notification-service) and being marked read.
 */
import { randomUUID } from 'node:crypto';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type SignedInUser } from './support/api.js';
import { send } from './support/harness.js';
import { ALL_ON } from './support/notification-fixtures.js';
import { expectProblem } from './support/problems.js';

let system: TestSystem;
let api: (path: string, init?: Parameters<typeof send>[2]) => Promise<Response>;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' } });
  api = (path, init) => send(system.gatewayUrl, path, init);
});
afterAll(() => system?.stop());

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

interface NotificationJson {
  id: string;
  type: string;
  actor: { id: string; username: string; displayName: string; avatarUrl: string | null };
  target: unknown;
  createdAt: string;
  read: boolean;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const as = (user: SignedInUser) => user.tokens.accessToken;

describe('a new user', () => {
  let ada: SignedInUser;
  beforeAll(async () => {
    ada = await registerUser(system.gatewayUrl, 'ada');
  });

  test('has no notifications, none unread, and no groups', async () => {
    expect(await json(await api('/v1/notifications', { token: as(ada) }), 200)).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(await json(await api('/v1/notifications?types=like&unread=true', { token: as(ada) }), 200)).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(await json(await api('/v1/notifications/groups', { token: as(ada) }), 200)).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(await json(await api('/v1/notifications/unread-count', { token: as(ada) }), 200)).toEqual({ count: 0 });
  });

  test('has every preference on; a PUT changes only the cells given, and they stay changed', async () => {
    const path = '/v1/notifications/preferences';
    expect(await json(await api(path, { token: as(ada) }), 200)).toEqual({ preferences: ALL_ON });
    const changed = {
      preferences: {
        ...ALL_ON,
        like: { inApp: true, webPush: false, expoPush: true },
        mention: { inApp: false, webPush: true, expoPush: false },
      },
    };
    const put = await api(path, {
      method: 'PUT',
      token: as(ada),
      json: { preferences: { like: { webPush: false }, mention: { inApp: false, expoPush: false } } },
    });
    expect(await json(put, 200)).toEqual(changed);
    expect(await json(await api(path, { token: as(ada) }), 200)).toEqual(changed);
    const back = await api(path, { method: 'PUT', token: as(ada), json: { preferences: { like: { webPush: true } } } });
    expect(await json(back, 200)).toEqual({ preferences: { ...changed.preferences, like: ALL_ON.like } });
  });

  test('deleting or marking an unknown notification is a 404; marking unknown ids marks nothing', async () => {
    const unknown = randomUUID();
    await expectProblem(
      await api(`/v1/notifications/${unknown}`, { method: 'DELETE', token: as(ada) }),
      404,
      'not-found',
    );
    await expectProblem(
      await api('/v1/notifications/read', { method: 'POST', token: as(ada), json: { upTo: unknown } }),
      404,
      'not-found',
    );
    const marked = await api('/v1/notifications/read', { method: 'POST', token: as(ada), json: { ids: [unknown] } });
    expect(await json(marked, 200)).toEqual({ marked: 0 });
  });

  test('a cursor the service did not mint is a 400 that names `cursor`', async () => {
    for (const path of ['/v1/notifications', '/v1/notifications/groups']) {
      const response = await api(`${path}?cursor=bm90LWEtY3Vyc29y`, { token: as(ada) });
      await expectProblem(response, 400, 'validation-failed', { fields: ['cursor'] });
    }
  });
});

/** GET until `ready` says the page is what the test waits for, for up to 5 s. */
async function pollNotifications(
  user: SignedInUser,
  ready: (page: Page<NotificationJson>) => boolean,
): Promise<Page<NotificationJson>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const page = await json<Page<NotificationJson>>(await api('/v1/notifications', { token: as(user) }), 200);
    if (ready(page) || Date.now() > deadline) return page;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('B follows A → A is notified by B; marking it read leaves nothing unread; A may delete it', async () => {
  const [a, b] = await Promise.all([registerUser(system.gatewayUrl, 'ana'), registerUser(system.gatewayUrl, 'ben')]);
  expect((await api(`/v1/users/${a.username}/follow`, { method: 'PUT', token: as(b) })).status).toBe(200);

  const page = await pollNotifications(a, (p) => p.items.length > 0);
  expect(page).toEqual({
    items: [
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'follow',
        actor: expect.objectContaining({ id: b.id, username: b.username }),
        target: null,
        createdAt: expect.any(String),
        read: false,
      },
    ],
    nextCursor: null,
  });
  const [follow] = page.items as [NotificationJson];
  expect(await json(await api('/v1/notifications/unread-count', { token: as(a) }), 200)).toEqual({ count: 1 });
  expect(await json(await api('/v1/notifications?types=like', { token: as(a) }), 200)).toEqual({
    items: [],
    nextCursor: null,
  });
  // B sees nothing of it, and may not delete it.
  expect(await json(await api('/v1/notifications', { token: as(b) }), 200)).toEqual({ items: [], nextCursor: null });
  await expectProblem(
    await api(`/v1/notifications/${follow.id}`, { method: 'DELETE', token: as(b) }),
    404,
    'not-found',
  );

  const marked = await api('/v1/notifications/read', { method: 'POST', token: as(a), json: { ids: [follow.id] } });
  expect(await json(marked, 200)).toEqual({ marked: 1 });
  expect(await json(await api('/v1/notifications/unread-count', { token: as(a) }), 200)).toEqual({ count: 0 });
  const read = await json<Page<NotificationJson>>(await api('/v1/notifications', { token: as(a) }), 200);
  expect(read.items).toEqual([{ ...follow, read: true }]);
  expect(await json(await api('/v1/notifications?unread=true', { token: as(a) }), 200)).toEqual({
    items: [],
    nextCursor: null,
  });

  expect((await api(`/v1/notifications/${follow.id}`, { method: 'DELETE', token: as(a) })).status).toBe(204);
  expect(await json(await api('/v1/notifications', { token: as(a) }), 200)).toEqual({ items: [], nextCursor: null });
});
