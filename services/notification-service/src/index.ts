export { type NotificationServiceConfig, readNotificationServiceConfig } from './config.js';
export { generateVapidKeys, type VapidKeys } from './delivery/vapid.js';
export { startNotificationService } from './service.js';
