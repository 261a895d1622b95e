/**
 * How Wren's parts find each other in a test system (in one process or as processes): who
 * delivers events to whom, the post-service client secret and its hash at user-service,
 * the addresses the gateway calls. One place, so both ways of starting Wren agree.
 */
import { createHash, randomBytes } from 'node:crypto';
import { vapidEnv } from './push/index.js';

export interface SystemAddresses {
  user: string;
  post: string;
  notification: string;
}

export function systemWiring(addresses: SystemAddresses) {
  const postClientSecret = randomBytes(24).toString('base64url');
  return {
    user: {
      OUTBOX_SUBSCRIBERS: `post-service=${addresses.post},notification-service=${addresses.notification}`,
      SERVICE_CLIENTS: `post-service:${createHash('sha256').update(postClientSecret).digest('hex')}`,
    },
    post: {
      USER_SERVICE_ADDR: addresses.user,
      OUTBOX_SUBSCRIBERS: `notification-service=${addresses.notification}`,
      SERVICE_CLIENT_SECRET: postClientSecret,
    },
    notification: { USER_SERVICE_ADDR: addresses.user, ...vapidEnv(), PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' },
    gateway: {
      USER_SERVICE_ADDR: addresses.user,
      POST_SERVICE_ADDR: addresses.post,
      NOTIFICATION_SERVICE_ADDR: addresses.notification,
    },
  };
}
