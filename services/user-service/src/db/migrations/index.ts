import type { Migrations } from '@wren/platform';
import * as accountsSessionsFollows from './2026-11-25T1200-accounts-sessions-follows.js';
import * as outbox from './2026-11-25T1330-outbox.js';
import * as sessionRevocations from './2026-12-02T1200-session-revocations.js';

/** Append-only: add new migrations at the end, never edit an applied one. */
export const migrations: Migrations = {
  '2026-11-25T1200-accounts-sessions-follows': accountsSessionsFollows,
  '2026-11-25T1330-outbox': outbox,
  '2026-12-02T1200-session-revocations': sessionRevocations,
};
