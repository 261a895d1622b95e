/**
 * Environment configuration, read once at start. Every problem is collected, so a process
 * that cannot start names every missing or malformed variable in one message.
 */

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export interface EnvReader {
  string(name: string, options?: { default?: string }): string;
  optionalString(name: string): string | undefined;
  int(name: string, options?: { default?: number; min?: number; max?: number }): number;
  bool(name: string, options?: { default?: boolean }): boolean;
  url(name: string, options?: { default?: string; protocols?: string[] }): string;
  optionalUrl(name: string, options?: { protocols?: string[] }): string | undefined;
  oneOf<T extends string>(name: string, values: readonly T[], options?: { default?: T }): T;
  list(name: string, options?: { default?: string[] }): string[];
  /** A value checked by the caller: return an error message, or undefined when valid. */
  custom<T>(name: string, parse: (raw: string) => T, options?: { default?: T }): T;
}

/**
 * Reads a typed config object with `build`, then throws ConfigError if any variable was
 * missing or malformed.
 */
export function readConfig<T>(build: (env: EnvReader) => T, env: Env = process.env): T {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const missing = <V>(name: string, fallback: V | undefined, placeholder: V): V => {
    if (fallback !== undefined) return fallback;
    problems.push(`${name} is required`);
    return placeholder;
  };
  const checkUrl = (name: string, value: string, protocols?: string[]): boolean => {
    try {
      const parsed = new URL(value);
      if (protocols && !protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got ${parsed.protocol})`);
        return false;
      }
      return true;
    } catch {
      problems.push(`${name} must be a URL`);
      return false;
    }
  };

  const reader: EnvReader = {
    string(name, options) {
      return raw(name) ?? missing(name, options?.default, '');
    },
    optionalString(name) {
      return raw(name);
    },
    int(name, options) {
      const value = raw(name);
      if (value === undefined) return missing(name, options?.default, 0);
      const parsed = Number(value);
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed)) {
        problems.push(`${name} must be an integer (got "${value}")`);
        return 0;
      }
      if (options?.min !== undefined && parsed < options.min) {
        problems.push(`${name} must be at least ${options.min} (got ${parsed})`);
      }
      if (options?.max !== undefined && parsed > options.max) {
        problems.push(`${name} must be at most ${options.max} (got ${parsed})`);
      }
      return parsed;
    },
    bool(name, options) {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return missing(name, options?.default, false);
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      problems.push(`${name} must be true or false (got "${value}")`);
      return false;
    },
    url(name, options) {
      const value = raw(name) ?? options?.default;
      if (value === undefined) return missing(name, undefined, '');
      checkUrl(name, value, options?.protocols);
      return value;
    },
    optionalUrl(name, options) {
      const value = raw(name);
      if (value !== undefined) checkUrl(name, value, options?.protocols);
      return value;
    },
    oneOf(name, values, options) {
      const value = raw(name);
      if (value === undefined) return missing(name, options?.default, values[0] as (typeof values)[number]);
      if (!(values as readonly string[]).includes(value)) {
        problems.push(`${name} must be one of ${values.join(', ')} (got "${value}")`);
      }
      return value as (typeof values)[number];
    },
    list(name, options) {
      const value = raw(name);
      if (value === undefined) return missing(name, options?.default, []);
      return value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    },
    custom(name, parse, options) {
      const value = raw(name);
      if (value === undefined) return missing(name, options?.default, undefined as never);
      try {
        return parse(value);
      } catch (error) {
        problems.push(`${name} ${(error as Error).message}`);
        return undefined as never;
      }
    },
  };

  const config = build(reader);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
