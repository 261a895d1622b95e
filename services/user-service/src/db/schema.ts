import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;

export interface UsersTable {
  id: string;
  username: string;
  email: string;
  password_hash: string;
  display_name: Generated<string>;
  bio: Generated<string>;
  avatar_url: Generated<string>;
  follower_count: ColumnType<number, never, never>;
  following_count: ColumnType<number, never, never>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  user_agent: string;
  ip: string;
  created_at: CreatedAt;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Date | null;
  revoke_reason: string | null;
}

export interface RefreshTokensTable {
  token_hash: Buffer;
  session_id: string;
  created_at: CreatedAt;
  expires_at: Date;
  spent_at: Date | null;
}

export interface FollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: CreatedAt;
}

/** Written by triggers on sessions (see the migration); read by ListRevokedSessions. */
export interface SessionRevocationsTable {
  session_id: string;
  txid: ColumnType<string, never, never>;
  revoked_at: CreatedAt;
}

export interface UserDatabase {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  follows: FollowsTable;
  session_revocations: SessionRevocationsTable;
}
