import { createLogger, runMain } from '@wren/platform';
import { readGatewayConfig } from './config.js';
import { startGateway } from './server.js';

runMain(
  async () => {
    const config = readGatewayConfig();
    // SIGTERM → stop(): Fastify stops accepting and drains, then the gRPC channels close.
    return startGateway(config, { logger: createLogger('api-gateway', config.logLevel) });
  },
  { name: 'api-gateway' },
);
