import type { EventHandlers } from '@wren/platform';
import { rememberUnknownActors } from '../db/queries/actors.js';
import type { NotificationDatabase } from '../db/schema.js';
import { postEventHandlers } from './post-events.js';
import { userEventHandlers } from './user-events.js';

type Handler = (...args: Parameters<NonNullable<EventHandlers<NotificationDatabase>['postLiked']>>) => Promise<void>;

/**
 * post-service's events name their actors with its copy of their profiles: a user whose
 * own registration event has not arrived yet (another relay) is known before the
 * notification about them is made, so it names them.
 */
function rememberingActors(handlers: EventHandlers<NotificationDatabase>): EventHandlers<NotificationDatabase> {
  return Object.fromEntries(
    Object.entries(handlers).map(([kind, handler]) => [
      kind,
      async (...args: Parameters<Handler>) => {
        const [trx, , event] = args;
        if (event.actors.length > 0) await rememberUnknownActors(trx, event.actors);
        await (handler as Handler)(...args);
      },
    ]),
  ) as EventHandlers<NotificationDatabase>;
}

/** Every event notification-service consumes, from user-service and post-service alike. */
export const eventHandlers: EventHandlers<NotificationDatabase> = {
  ...userEventHandlers,
  ...rememberingActors(postEventHandlers),
};
