export { type PostServiceConfig, readPostServiceConfig } from './config.js';
export { startPostService } from './service.js';
