export { type PostServiceConfig, readPostServiceConfig } from './config.js';
export type { PostDatabase } from './db/schema.js';
export { type DeletedContent, deleteAllContentOf } from './domain/user-content.js';
export { startPostService } from './service.js';
