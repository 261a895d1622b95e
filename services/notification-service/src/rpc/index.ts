/** The notification-service gRPC surface. */
import { EventSinkServiceDefinition } from '@wren/contracts/events/v1/event_sink_service.js';
import { NotificationServiceDefinition } from '@wren/contracts/notification/v1/notification_service.js';
import { PushServiceDefinition } from '@wren/contracts/notification/v1/push_service.js';
import { createEventSink, methodPath, type WrenCallContextExt } from '@wren/platform';
import type { Server } from 'nice-grpc';
import type { NotificationServiceContext } from '../context.js';
import { eventHandlers } from '../events/index.js';
import { notificationsRpc } from './notifications.js';
import { preferencesRpc } from './preferences.js';
import { pushRpc } from './push.js';
import { streamRpc } from './stream.js';

/**
 * Every notification method acts as the user of the access token; only the VAPID public key
 * is public (a browser needs it before anyone signs in to subscribe).
 */
export const publicMethods: ReadonlySet<string> = new Set([methodPath(PushServiceDefinition, 'getVapidPublicKey')]);

/** Only other services may call these (the outbox relays of user- and post-service). */
export const serviceMethods: ReadonlySet<string> = new Set([methodPath(EventSinkServiceDefinition, 'deliver')]);

export function registerRpc(server: Server<WrenCallContextExt>, ctx: NotificationServiceContext): void {
  server.add(NotificationServiceDefinition, { ...notificationsRpc(ctx), ...preferencesRpc(ctx), ...streamRpc(ctx) });
  server.add(EventSinkServiceDefinition, createEventSink(ctx.database.db, eventHandlers, ctx.logger, ctx.registry));
  server.add(PushServiceDefinition, pushRpc(ctx));
}
