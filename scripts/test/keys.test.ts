/** `npm run keys:jwt` and `npm run keys:vapid` print values the services accept. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { readNotificationServiceConfig } from '@wren/notification-service';
import { readUserServiceConfig } from '@wren/user-service';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const run = (script: string, args: string[] = [], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

const base = { DATABASE_URL: 'postgres://localhost/x', USER_SERVICE_ADDR: '127.0.0.1:1' };

describe('key commands', () => {
  it('keys:jwt prints a key set user-service starts with, and --rotate puts a new key first', () => {
    const first = /^JWT_PRIVATE_KEYS='(.*)'$/m.exec(run('scripts/generate-jwt-key.ts'))?.[1] ?? '';
    const config = readUserServiceConfig({ ...base, JWT_PRIVATE_KEYS: first });
    expect(config.tokens.signingKeys.keys).toHaveLength(1);

    const rotated = /^JWT_PRIVATE_KEYS='(.*)'$/m.exec(
      run('scripts/generate-jwt-key.ts', ['--rotate'], { JWT_PRIVATE_KEYS: first }),
    )?.[1];
    const keys = readUserServiceConfig({ ...base, JWT_PRIVATE_KEYS: rotated }).tokens.signingKeys.keys;
    expect(keys).toHaveLength(2);
    expect(keys[1]?.kid).toBe(config.tokens.activeKid);
    expect(keys[0]?.kid).not.toBe(config.tokens.activeKid);
  });

  it('keys:vapid prints a pair notification-service accepts', () => {
    const output = run('scripts/generate-vapid-keys.ts');
    const value = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(output)?.[1];
    const config = readNotificationServiceConfig({
      ...base,
      VAPID_PUBLIC_KEY: value('VAPID_PUBLIC_KEY'),
      VAPID_PRIVATE_KEY: value('VAPID_PRIVATE_KEY'),
      VAPID_SUBJECT: 'mailto:ops@example.com',
    });
    expect(config.push.vapid.publicKey).toBe(value('VAPID_PUBLIC_KEY'));
  });
});
