/**
 * StreamNotifications: live delivery on commit, resume without gap or duplicate while new
 * notifications keep coming, nobody else's notifications, heartbeats when idle, and a
 * stopping service ending open streams instead of waiting for them.
 */
import type { StreamNotificationsResponse } from '@wren/contracts/notification/v1/notification_service.js';
import { Status } from '@wren/platform';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  as,
  deliver,
  expectGrpcError,
  followed,
  registerUser,
  startTestServices,
  T,
  type TestServices,
  type TestUser,
  tick,
} from './helpers.js';

const HEARTBEAT_MS = 150;

/** Reads a stream in the background; `events` fills as they come. */
function openStream(svc: TestServices, user: TestUser, afterNotificationId = '') {
  const controller = new AbortController();
  const events: StreamNotificationsResponse[] = [];
  const state: { ended: boolean; error: unknown } = { ended: false, error: undefined };
  const finished = (async () => {
    try {
      const stream = svc.notifications.streamNotifications(
        { afterNotificationId },
        { ...as(user), signal: controller.signal },
      );
      for await (const event of stream) events.push(event);
    } catch (error) {
      if (!controller.signal.aborted) state.error = error;
    } finally {
      state.ended = true;
    }
  })();
  const ids = () => events.flatMap((e) => (e.event?.$case === 'notification' ? [e.event.value.id] : []));
  const heartbeats = () => events.filter((e) => e.event?.$case === 'heartbeat').length;
  return {
    events,
    state,
    finished,
    ids,
    heartbeats,
    /** The first heartbeat comes once the stream is subscribed: from then on nothing is missed. */
    live: () => vi.waitFor(() => expect(heartbeats()).toBeGreaterThan(0), { timeout: 5000 }),
    close: () => controller.abort(),
  };
}

/** Ids of the user's notifications, oldest first. */
async function idsOf(svc: TestServices, user: TestUser): Promise<string[]> {
  const { notifications } = await svc.notifications.listNotifications({ pageSize: 100 }, as(user));
  return notifications.map((n) => n.id).reverse();
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) break;
}

describe('notification stream', () => {
  let svc: TestServices;

  beforeAll(async () => {
    svc = await startTestServices({ STREAM_HEARTBEAT_MS: String(HEARTBEAT_MS) });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('delivers a new notification with its actor, and only to its recipient', async () => {
    const [ana, bob, eve] = await Promise.all([
      registerUser(svc, 'ana'),
      registerUser(svc, 'bob'),
      registerUser(svc, 'eve'),
    ]);
    const anas = openStream(svc, ana);
    const bobs = openStream(svc, bob);
    await Promise.all([anas.live(), bobs.live()]);
    await deliver(svc, followed(bob.id, ana.id), followed(eve.id, bob.id));

    await vi.waitFor(() => expect(anas.ids()).toHaveLength(1), { timeout: 5000 });
    await vi.waitFor(() => expect(bobs.ids()).toHaveLength(1), { timeout: 5000 });
    const [first] = anas.events.flatMap((e) => (e.event?.$case === 'notification' ? [e.event.value] : []));
    expect(first).toMatchObject({
      type: T.NOTIFICATION_TYPE_FOLLOW,
      actor: { id: bob.id, username: bob.username },
      read: false,
    });
    expect(anas.ids()).toEqual(await idsOf(svc, ana));
    expect(bobs.ids()).toEqual(await idsOf(svc, bob));
    expect(anas.ids()).not.toEqual(bobs.ids());
    anas.close();
    bobs.close();
    await Promise.all([anas.finished, bobs.finished]);
    expect([anas.state.error, bobs.state.error]).toEqual([undefined, undefined]);
  });

  it('sends heartbeats while idle', async () => {
    const ana = await registerUser(svc, 'ana');
    const stream = openStream(svc, ana);
    await vi.waitFor(() => expect(stream.heartbeats()).toBeGreaterThanOrEqual(4), { timeout: 5000 });
    expect(stream.ids()).toEqual([]);
    stream.close();
    await stream.finished;
  });

  it('resumes: replays exactly the missed ones, then continues live, while new ones keep coming', async () => {
    const ana = await registerUser(svc, 'ana');
    const followers = await Promise.all(Array.from({ length: 16 }, () => registerUser(svc, 'fol')));
    for (const follower of followers.slice(0, 8)) {
      await deliver(svc, followed(follower.id, ana.id));
      await tick();
    }
    const before = await idsOf(svc, ana);
    const resumeFrom = before[2] ?? '';
    // One of the missed ones is deleted: deleted notifications are never sent.
    const deleted = before[4] ?? '';
    await svc.notifications.deleteNotification({ notificationId: deleted }, as(ana));

    const stream = openStream(svc, ana, resumeFrom);
    // New notifications race the replay: they must come once each, after the replayed ones.
    for (const follower of followers.slice(8)) await deliver(svc, followed(follower.id, ana.id));

    const expected = (await idsOf(svc, ana)).filter((id) => id > resumeFrom);
    expect(expected).toHaveLength(8 - 3 - 1 + 8);
    await vi.waitFor(() => expect(stream.ids().length).toBeGreaterThanOrEqual(expected.length), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 2));
    expect(stream.ids()).toHaveLength(expected.length);
    expect(new Set(stream.ids())).toEqual(new Set(expected));
    // The replayed part comes first, oldest first.
    expect(stream.ids().slice(0, 4)).toEqual(before.slice(3).filter((id) => id !== deleted));
    expect(stream.ids()).not.toContain(deleted);
    stream.close();
    await stream.finished;
    expect(stream.state.error).toBeUndefined();
  });

  it('refuses a resume point that is not a UUID, or not one of the caller’s own', async () => {
    const [ana, bob] = await Promise.all([registerUser(svc, 'ana'), registerUser(svc, 'bob')]);
    await deliver(svc, followed(ana.id, bob.id));
    const [bobsId] = await idsOf(svc, bob);
    await expectGrpcError(
      drain(svc.notifications.streamNotifications({ afterNotificationId: 'nope' }, as(ana))),
      Status.INVALID_ARGUMENT,
      { fields: ['after_notification_id'] },
    );
    await expectGrpcError(
      drain(svc.notifications.streamNotifications({ afterNotificationId: bobsId ?? '' }, as(ana))),
      Status.NOT_FOUND,
      { reason: 'NOTIFICATION_NOT_FOUND' },
    );
    await expectGrpcError(drain(svc.notifications.streamNotifications({})), Status.UNAUTHENTICATED);
  });

  it('ends a stream once its session ends, before sending anything more on it', async () => {
    const [ana, bob] = await Promise.all([registerUser(svc, 'ana'), registerUser(svc, 'bob')]);
    const stream = openStream(svc, ana);
    await stream.live();
    await svc.auth.logout({}, as(ana));
    // Once notification-service has learnt of the logout, its token is refused…
    await vi.waitFor(
      () =>
        expectGrpcError(svc.notifications.getUnreadCount({}, as(ana)), Status.UNAUTHENTICATED, {
          reason: 'SESSION_REVOKED',
        }),
      { timeout: 3000, interval: 50 },
    );
    // …and the stream it opened before gets no notification: it ends instead.
    await deliver(svc, followed(bob.id, ana.id));
    await stream.finished;
    expect(stream.ids()).toEqual([]);
    expect(stream.state.error).toMatchObject({ code: Status.UNAUTHENTICATED });
  });
});

describe('notification stream on shutdown', () => {
  it('ends open streams promptly when the service stops', async () => {
    // The default heartbeat (15 s) and grace period (10 s): only the stop hook ends it quickly.
    const svc = await startTestServices();
    const ana = await registerUser(svc, 'ana');
    const stream = openStream(svc, ana);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await svc.stop();
    await stream.finished;
    expect(performance.now() - started).toBeLessThan(5000);
    expect(stream.state.ended).toBe(true);
  });
});
