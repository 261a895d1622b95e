/**
 * Password hashing with argon2id. Passwords are NFC-normalised first, so the same password
 * typed on two keyboards that compose accents differently still matches.
 */
import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, type Options, verify } from '@node-rs/argon2';

// `Algorithm` is an ambient const enum, which isolatedModules cannot read; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** OWASP's minimum for argon2id (m = 19 MiB, t = 2, p = 1); ~20-40 ms a hash here. */
export const PASSWORD_HASH_OPTIONS: Options = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), PASSWORD_HASH_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password.normalize('NFC'));
}

let dummyHash: Promise<string> | undefined;

/** Computes the stand-in hash ahead of the first unknown login, which would otherwise take twice as long. */
export function prepareDummyHash(): void {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
}

/**
 * Burns the same time as checking a real password, for logins that match no account, so
 * that response time does not reveal which usernames and emails exist.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  prepareDummyHash();
  await verify(await (dummyHash as Promise<string>), password.normalize('NFC'));
  return false;
}
