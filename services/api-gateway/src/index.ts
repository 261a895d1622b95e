export { type GatewayConfig, readGatewayConfig } from './config.js';
export { buildApp, type GatewayDeps, type RunningGateway, startGateway } from './server.js';
