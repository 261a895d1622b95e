import { createLogger, runMain } from '@wren/platform';
import { readPostServiceConfig } from './config.js';
import { startPostService } from './service.js';

runMain(
  async () => {
    const config = readPostServiceConfig();
    return startPostService(config, createLogger('post-service', config.logLevel));
  },
  { name: 'post-service' },
);
