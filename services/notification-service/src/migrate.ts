/**
 * Migrates notification-service's database to the latest schema and exits: the Kubernetes migration Job
 * and compose's one-shot migration step run this before the service starts (with
 * MIGRATE_ON_START=false on the service).
 */
import { runMigrations } from '@wren/platform';
import { migrations } from './db/migrations/index.js';

runMigrations('notification-service', migrations);
