import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';
import { readBaseServiceConfig } from '../src/service.js';

describe('readConfig', () => {
  it('reads typed values and applies defaults', () => {
    const config = readConfig(
      (env) => ({
        port: env.int('PORT', { default: 8080 }),
        debug: env.bool('DEBUG', { default: false }),
        origins: env.list('ORIGINS', { default: [] }),
        url: env.url('URL', { protocols: ['postgres'] }),
      }),
      { PORT: '9000', ORIGINS: 'https://a.example, https://b.example', URL: 'postgres://h/db' },
    );
    expect(config).toEqual({
      port: 9000,
      debug: false,
      origins: ['https://a.example', 'https://b.example'],
      url: 'postgres://h/db',
    });
  });

  it('names every missing or malformed variable in one error', () => {
    const attempt = () =>
      readConfig(
        (env) => ({
          port: env.int('PORT', { max: 65535 }),
          url: env.url('DATABASE_URL', { protocols: ['postgres'] }),
          level: env.oneOf('LOG_LEVEL', ['info', 'debug'] as const),
          flag: env.bool('FLAG'),
        }),
        { PORT: '70000', DATABASE_URL: 'http://x', LOG_LEVEL: 'loud', FLAG: 'maybe' },
      );
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'PORT must be at most 65535 (got 70000)',
        'DATABASE_URL must use postgres (got http:)',
        'LOG_LEVEL must be one of info, debug (got "loud")',
        'FLAG must be true or false (got "maybe")',
      ]);
    }
  });

  it('treats a blank value as missing', () => {
    expect(() => readConfig((env) => env.string('NAME'), { NAME: '   ' })).toThrow('NAME is required');
  });

  it('rejects a non-integer', () => {
    expect(() => readConfig((env) => env.int('N'), { N: '12abc' })).toThrow('N must be an integer (got "12abc")');
  });

  it('requires DATABASE_URL for every service', () => {
    expect(() => readConfig((env) => readBaseServiceConfig(env, { grpcPort: 1, adminPort: 2 }), {})).toThrow(
      'DATABASE_URL is required',
    );
  });
});
