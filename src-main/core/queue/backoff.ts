// Capped, jittered backoff. Jitter spreads retries of many jobs (a whole site going offline) so they
// do not return in lock-step; the cap keeps a job that waited a long time from waiting longer still.

export interface BackoffPolicy {
  baseMs: number
  capMs: number
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 }

/** "Full jitter": a uniform delay in [0, min(cap, base * 2^attempt)], never below base / 2. */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30))
  return Math.max(policy.baseMs / 2, Math.round(random() * ceiling))
}

/** "Decorrelated jitter" (AWS Architecture Blog): each delay in [base, previous * 3], capped. */
export function decorrelatedJitterDelay(
  previousMs: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const upper = Math.max(policy.baseMs, previousMs * 3)
  return Math.min(policy.capMs, Math.round(policy.baseMs + random() * (upper - policy.baseMs)))
}
