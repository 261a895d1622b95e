/**
 * How long an ended session is reported to the processes that verify access tokens
 * locally: as long as an access token of it may still be valid. A token is signed at most
 * moments after its session's last refresh commits, so it expires by the revocation time
 * plus the access-token lifetime; the margin covers that moment and clock skew between
 * hosts (verifiers check `exp` against their own clocks).
 */
export const REVOCATION_MARGIN_MS = 60_000;

/** Revocations are kept this long, beyond the longest allowed access-token lifetime (1 h). */
export const REVOCATION_RETENTION_MS = 2 * 3600 * 1000;

export function revocationWindowMs(accessTokenTtlSeconds: number): number {
  return accessTokenTtlSeconds * 1000 + REVOCATION_MARGIN_MS;
}
