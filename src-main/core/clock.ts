// Time as a port, so leases, backoff and timestamps are tested without waiting.
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export const isoAt = (ms: number) => new Date(ms).toISOString()
