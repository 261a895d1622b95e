/** Prints VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY for notification-service (Web Push, RFC 8292). */
import { generateVapidKeys } from '@wren/notification-service';

const keys = generateVapidKeys();
console.log(`VAPID_PUBLIC_KEY=${keys.publicKey}`);
console.log(`VAPID_PRIVATE_KEY=${keys.privateKey}`);
