import type { EventHandlers } from '@wren/platform';
import type { NotificationDatabase } from '../db/schema.js';
import { postEventHandlers } from './post-events.js';
import { userEventHandlers } from './user-events.js';

/** Every event notification-service consumes, from user-service and post-service alike. */
export const eventHandlers: EventHandlers<NotificationDatabase> = { ...userEventHandlers, ...postEventHandlers };
