/** Client-side helpers for the end-to-end suites: what an app would do over HTTP. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { send } from './harness.js';

export interface Tokens {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

export interface SignedInUser {
  username: string;
  email: string;
  password: string;
  id: string;
  tokens: Tokens;
}

/** A username no other test in the run will pick (≤ 30 characters). */
export function uniqueUsername(prefix: string): string {
  return `${prefix.slice(0, 18)}_${randomBytes(5).toString('hex')}`;
}

export async function registerUser(baseUrl: string, prefix = 'user'): Promise<SignedInUser> {
  const username = uniqueUsername(prefix);
  const email = `${username}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const response = await send(baseUrl, '/v1/auth/register', { method: 'POST', json: { username, email, password } });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  const body = JSON.parse(text) as { account: { id: string }; tokens: Tokens };
  return { username, email, password, id: body.account.id, tokens: body.tokens };
}

/** The URL inside `Link: <…>; rel="next"`, or undefined when there is none. */
export function nextLink(response: Response): string | undefined {
  const header = response.headers.get('link');
  if (!header) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(header);
  expect(match, header).not.toBeNull();
  return match?.[1];
}
