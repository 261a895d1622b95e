/**
 * Keeps every user's access token valid: a run can outlast one token lifetime (3600 s at
 * most) — a `--workload all` run on the larger graph, or a reused data directory — so
 * tokens are renewed between steps once half their life is gone.
 */
import { type ApiClient, ApiError, type Tokens } from './api-client.js';
import { mapConcurrent } from './concurrency.js';
import { usernameOf } from './post-text.js';
import { passwordOf } from './seed.js';

/**
 * New tokens for every user from their refresh tokens (which rotate: keep the answers). A
 * refresh token that is refused (spent by a run that died before saving its successor)
 * costs a login instead.
 */
export function renewAll(api: ApiClient, refreshTokens: readonly string[], concurrency: number): Promise<Tokens[]> {
  return mapConcurrent(refreshTokens, concurrency, async (refreshToken, id) => {
    try {
      return await api.refresh(refreshToken);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      return api.login(usernameOf(id), passwordOf(id));
    }
  });
}

export class TokenKeeper {
  constructor(
    private tokens: Tokens[],
    private obtainedAt: number,
    private readonly lifetimeMs: number,
  ) {}

  get accessTokens(): string[] {
    return this.tokens.map((token) => token.accessToken);
  }

  get all(): Tokens[] {
    return this.tokens;
  }

  /** True when the tokens were renewed (the load generator then needs the new ones). */
  async renewIfOld(api: ApiClient, concurrency: number): Promise<boolean> {
    if (performance.now() - this.obtainedAt < this.lifetimeMs / 2) return false;
    const started = performance.now();
    this.tokens = await renewAll(
      api,
      this.tokens.map((token) => token.refreshToken),
      concurrency,
    );
    this.obtainedAt = started;
    return true;
  }
}
