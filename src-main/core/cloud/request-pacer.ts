// Paces requests below the cloud's rate limit (SDX: 60 a minute per token), so we never bounce
// off it. A sliding log of the last `requests` send times: a request waits until the oldest of them
// is more than a window old. That is the strictest reading of "N per window" (it also satisfies a
// fixed-window or token-bucket limiter), where a token bucket with a burst could send up to twice
// the limit across a window boundary and draw 429s. `marginMs` absorbs the latency jitter between
// our send time and the server's arrival time.
import { type Clock, systemClock } from '../clock'
import { abortableDelay } from '../abortable-delay'

export interface RateLimit {
  requests: number
  windowMs: number
}

/** SDX: 60 requests per minute per token. */
export const SDX_RATE_LIMIT: RateLimit = { requests: 60, windowMs: 60_000 }

export interface RequestPacerOptions {
  /** null: no client-side limit (a fake on loopback, say). */
  limit: RateLimit | null
  /** Added to the window; default 2% of it, at least 20 ms. */
  marginMs?: number
  clock?: Clock
}

export class RequestPacer {
  private readonly sent: number[] = []
  private queue: Promise<void> = Promise.resolve()
  private waiting = 0
  private holdUntilMs = 0
  private readonly marginMs: number
  private readonly clock: Clock

  constructor(private readonly options: RequestPacerOptions) {
    this.clock = options.clock ?? systemClock
    this.marginMs = options.marginMs ?? (options.limit ? Math.max(20, options.limit.windowMs * 0.02) : 0)
  }

  /** Resolves when a request may be sent now; requests go in the order they asked. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (!this.options.limit && this.waiting === 0 && this.holdUntilMs <= this.clock.now()) return Promise.resolve()
    this.waiting++
    const turn = this.queue.then(() => this.waitForTurn(signal))
    this.queue = turn.catch(() => undefined).finally(() => this.waiting--)
    return turn
  }

  /** The cloud said "come back later" (Retry-After): every request waits until then. */
  holdUntil(atMs: number): void {
    this.holdUntilMs = Math.max(this.holdUntilMs, atMs)
  }

  private async waitForTurn(signal?: AbortSignal): Promise<void> {
    const limit = this.options.limit
    for (;;) {
      signal?.throwIfAborted()
      const now = this.clock.now()
      let readyAt = this.holdUntilMs
      if (limit && this.sent.length >= limit.requests) {
        readyAt = Math.max(readyAt, (this.sent[this.sent.length - limit.requests] as number) + limit.windowMs + this.marginMs)
      }
      if (readyAt <= now) {
        if (limit) {
          this.sent.push(now)
          if (this.sent.length > limit.requests * 2) this.sent.splice(0, this.sent.length - limit.requests)
        }
        return
      }
      await abortableDelay(readyAt - now, signal)
    }
  }
}
