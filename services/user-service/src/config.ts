import {
  type BaseServiceConfig,
  type EnvReader,
  type PrivateJwkSet,
  readBaseServiceConfig,
  readConfig,
  readOutboxSubscribers,
  readTokenConfig,
  type SubscriberAddress,
  type TokenConfig,
} from '@wren/platform';

export interface UserServiceConfig extends BaseServiceConfig {
  /** How often ended sessions older than a week are deleted. */
  sessionPurgeIntervalMs: number;
  /** The services that receive user-service's events (follows, profiles, deletions). */
  outboxSubscribers: SubscriberAddress[];
  /** Services that may ask for a service credential: name → SHA-256 (hex) of their client secret. */
  serviceClients: Map<string, string>;
  tokens: TokenConfig & {
    /** Private Ed25519 JWKs; all are published in the JWKS, `activeKid` signs. */
    signingKeys: PrivateJwkSet;
    activeKid: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
  };
}

function parseKeySet(raw: string): PrivateJwkSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('must be a JSON JWK set ({"keys": [...]}); generate one with `npm run keys:jwt`');
  }
  const keys = (parsed as PrivateJwkSet | undefined)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('must hold at least one key');
  for (const key of keys) {
    if (key.kty !== 'OKP' || key.crv !== 'Ed25519' || typeof key.d !== 'string' || typeof key.kid !== 'string') {
      throw new Error('must hold only private Ed25519 keys (kty OKP, crv Ed25519) with a kid');
    }
  }
  return { keys };
}

/** `post-service:<sha256 hex>,notification-service:<sha256 hex>` */
function parseServiceClients(raw: string): Map<string, string> {
  const clients = new Map<string, string>();
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, hash, ...rest] = entry.split(':');
    if (!name || !hash || rest.length > 0 || !/^[a-z0-9-]+$/.test(name) || !/^[0-9a-f]{64}$/.test(hash)) {
      throw new Error('must be a comma-separated list of service-name:sha256-hex-of-its-secret');
    }
    clients.set(name, hash);
  }
  return clients;
}

export function readUserServiceConfig(env: Record<string, string | undefined> = process.env): UserServiceConfig {
  return readConfig((reader: EnvReader) => {
    const signingKeys = reader.custom('JWT_PRIVATE_KEYS', parseKeySet);
    const activeKid = reader.custom(
      'JWT_ACTIVE_KID',
      (kid) => {
        if (signingKeys && !signingKeys.keys.some((key) => key.kid === kid)) {
          throw new Error('must name a key of JWT_PRIVATE_KEYS');
        }
        return kid;
      },
      { default: signingKeys?.keys[0]?.kid ?? '' },
    );
    return {
      ...readBaseServiceConfig(reader, { grpcPort: 50051, adminPort: 9461 }),
      sessionPurgeIntervalMs: reader.int('SESSION_PURGE_INTERVAL_MS', { default: 3_600_000, min: 1000 }),
      outboxSubscribers: readOutboxSubscribers(reader),
      serviceClients: reader.custom('SERVICE_CLIENTS', parseServiceClients, { default: new Map() }),
      tokens: {
        ...readTokenConfig(reader),
        signingKeys,
        activeKid,
        accessTokenTtlSeconds: reader.int('ACCESS_TOKEN_TTL_SECONDS', { default: 900, min: 60, max: 3600 }),
        refreshTokenTtlSeconds: reader.int('REFRESH_TOKEN_TTL_SECONDS', {
          default: 30 * 24 * 3600,
          min: 3600,
          max: 365 * 24 * 3600,
        }),
      },
    };
  }, env);
}
