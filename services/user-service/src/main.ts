import { createLogger, runMain } from '@wren/platform';
import { readUserServiceConfig } from './config.js';
import { startUserService } from './service.js';

runMain(
  async () => {
    const config = readUserServiceConfig();
    return startUserService(config, createLogger('user-service', config.logLevel));
  },
  { name: 'user-service' },
);
