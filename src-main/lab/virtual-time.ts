// Time that jumps: a clock and timers for lab routers, and a `sleep` for whoever waits on them (the
// LAN executor's revert window). Sleeping moves the clock forward and fires the routers' timers due
// on the way, in order, yielding to the event loop after each so what they start (a scheduler's
// configuration reset, the wire server listening again) gets to run. A 60 s revert window thus
// takes milliseconds of real time, and nothing depends on how fast the machine is.
//
// Important: only one party should sleep at a time (the executor under test); real I/O (sockets)
// keeps running in real time beside it, which is what a lab over loopback wants.
import type { LabTimers } from './router/time'

interface Pending {
  readonly at: number
  readonly order: number
  readonly callback: () => void
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

export class VirtualTime {
  private current: number
  private order = 0
  private readonly pending = new Set<Pending>()

  constructor(start = Date.parse('2026-11-22T16:00:00Z')) {
    this.current = start
  }

  readonly now = (): number => this.current

  readonly timers: LabTimers = {
    setTimeout: (callback, ms) => {
      const entry: Pending = { at: this.current + Math.max(0, ms), order: this.order++, callback }
      this.pending.add(entry)
      return entry
    },
    clearTimeout: (handle) => {
      this.pending.delete(handle as Pending)
    },
  }

  /** Moves the clock `ms` forward, firing the timers due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms)
    for (;;) {
      const next = this.nextDue(target)
      if (!next) break
      this.pending.delete(next)
      this.current = Math.max(this.current, next.at)
      next.callback()
      await yieldToEventLoop()
    }
    this.current = target
    await yieldToEventLoop()
  }

  /** `sleep` for the executor: resolves after advancing, or early (without advancing) on abort. */
  readonly sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return
    await this.advance(ms)
  }

  private nextDue(target: number): Pending | undefined {
    let best: Pending | undefined
    for (const entry of this.pending) {
      if (entry.at > target) continue
      if (!best || entry.at < best.at || (entry.at === best.at && entry.order < best.order)) best = entry
    }
    return best
  }
}
