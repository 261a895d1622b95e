/** When to try again: exponential backoff with jitter, or what the server asked for. */
export interface BackoffTuning {
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * The delay before attempt `attempts + 1`. Half of the exponential step is fixed and half
 * random, so that rows failed together (a push service's outage) do not all come back at
 * once. A Retry-After wins when it asks for longer (still capped by the maximum).
 */
export function retryDelayMs(attempts: number, tuning: BackoffTuning, retryAfterMs?: number): number {
  const step = Math.min(tuning.backoffMaxMs, tuning.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = step / 2 + Math.random() * (step / 2);
  return Math.round(Math.min(tuning.backoffMaxMs, Math.max(jittered, retryAfterMs ?? 0)));
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
