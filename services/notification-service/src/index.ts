export { type NotificationServiceConfig, readNotificationServiceConfig } from './config.js';
export { startNotificationService } from './service.js';
