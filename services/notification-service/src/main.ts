import { createLogger, runMain } from '@wren/platform';
import { readNotificationServiceConfig } from './config.js';
import { startNotificationService } from './service.js';

runMain(
  async () => {
    const config = readNotificationServiceConfig();
    return startNotificationService(config, createLogger('notification-service', config.logLevel));
  },
  { name: 'notification-service' },
);
