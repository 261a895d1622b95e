export { readUserServiceConfig, type UserServiceConfig } from './config.js';
export { startUserService } from './service.js';
