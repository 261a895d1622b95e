/**
 * The live fan-out of one notification-service process. New notifications are announced by
 * `pg_notify` in the transaction that creates them (see db/queries/stream.ts), so only
 * committed ones are heard and every replica hears all of them; one LISTEN connection per
 * process hands each announcement to the open streams of its recipient.
 *
 * When that connection is lost, announcements made meanwhile would be lost too: instead of
 * pretending otherwise, every open stream fails (UNAVAILABLE) and its client reconnects with
 * its resume point, which replays what it missed from the table.
 */
import { type Logger, Status } from '@wren/platform';
import { ServerError } from 'nice-grpc';
import type pg from 'pg';
import { Gauge } from 'prom-client';
import type { NotificationServiceContext } from '../context.js';
import { NOTIFICATION_CHANNEL } from '../db/queries/stream.js';

export interface StreamListener {
  notify(notificationId: string): void;
  fail(error: Error): void;
}

const unavailable = (message: string) => new ServerError(Status.UNAVAILABLE, message);

export class NotificationHub {
  private readonly listeners = new Map<string, Set<StreamListener>>();
  private readonly stopping = new AbortController();
  private connection: Promise<pg.PoolClient> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  /** Streams open in this process. */
  get openStreams(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  /** Aborted when the service is stopping: open streams end on it instead of holding the drain. */
  get stoppingSignal(): AbortSignal {
    return this.stopping.signal;
  }

  /**
   * Resolves once LISTEN is in effect, so anything committed from then on reaches `listener`;
   * returns the unsubscribe function.
   */
  async subscribe(recipientId: string, listener: StreamListener): Promise<() => void> {
    if (this.stopping.signal.aborted) throw unavailable('the service is stopping');
    const set = this.listeners.get(recipientId) ?? new Set<StreamListener>();
    this.listeners.set(recipientId, set);
    set.add(listener);
    const unsubscribe = () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(recipientId) === set) this.listeners.delete(recipientId);
    };
    try {
      await this.connect();
    } catch (error) {
      unsubscribe();
      this.logger.warn({ err: error }, 'cannot LISTEN for notifications');
      throw unavailable('live notifications are unavailable');
    }
    return unsubscribe;
  }

  /** Ends every stream and releases the LISTEN connection; new subscriptions are refused. */
  async close(): Promise<void> {
    this.stopping.abort();
    this.listeners.clear();
    const connection = this.connection;
    this.connection = undefined;
    const client = await connection?.catch(() => undefined);
    client?.release();
  }

  private connect(): Promise<pg.PoolClient> {
    this.connection ??= this.open().catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  private async open(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    let lost = false;
    const onLost = (error: Error) => {
      if (lost) return;
      lost = true;
      this.lose(client, error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('LISTEN connection ended')));
    client.on('notification', (message) => {
      if (message.channel === NOTIFICATION_CHANNEL && message.payload) this.dispatch(message.payload);
    });
    try {
      await client.query(`LISTEN ${NOTIFICATION_CHANNEL}`);
    } catch (error) {
      lost = true;
      client.release(error as Error);
      throw error;
    }
    return client;
  }

  /** `<recipient>:<notification id>` to that recipient's streams. */
  private dispatch(payload: string): void {
    const separator = payload.indexOf(':');
    const set = this.listeners.get(payload.slice(0, separator));
    if (separator < 0 || !set) return;
    const id = payload.slice(separator + 1);
    for (const listener of set) listener.notify(id);
  }

  private lose(client: pg.PoolClient, error: Error): void {
    if (this.stopping.signal.aborted) return;
    this.logger.warn({ err: error }, 'LISTEN connection lost; failing open streams so they resume');
    this.connection = undefined;
    // Destroys the connection rather than returning a broken one to the pool.
    client.release(error);
    const failure = unavailable('live notifications were interrupted; reconnect to resume');
    for (const set of this.listeners.values()) for (const listener of set) listener.fail(failure);
    this.listeners.clear();
  }
}

const hubs = new WeakMap<NotificationServiceContext, NotificationHub>();

/**
 * The process's hub, made on first use. Kept beside the context rather than in it so that
 * the stream stays a self-contained addition.
 */
export function notificationHub(ctx: NotificationServiceContext): NotificationHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new NotificationHub(ctx.database.pool, ctx.logger);
    hubs.set(ctx, hub);
  }
  return hub;
}

/** `wren_notification_streams_active`: live streams this process holds open. */
export function observeNotificationStreams(ctx: NotificationServiceContext): void {
  new Gauge({
    name: 'wren_notification_streams_active',
    help: 'Live notification streams (gRPC StreamNotifications, SSE through the gateway) open in this process.',
    registers: [ctx.registry],
    collect() {
      this.set(notificationHub(ctx).openStreams);
    },
  });
}

/** For the service's stop: streams first, so that the gRPC drain does not wait for them. */
export async function closeNotificationStreams(ctx: NotificationServiceContext): Promise<void> {
  await hubs.get(ctx)?.close();
}
