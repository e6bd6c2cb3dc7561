// A typed, synchronous publish/subscribe. A listener that throws is logged, never allowed to stop
// the publisher: a broken UI subscription must not fail a job.
import type { CoreEvent } from '../../contract/events'

/**
 * Where an event comes from. `elsewhere`: another process on the data folder did it, and
 * other-writers.ts announces it here so windows update; that process has logged and stored it.
 */
export interface EventOrigin {
  readonly elsewhere: boolean
}

const HERE: EventOrigin = { elsewhere: false }
export const ELSEWHERE: EventOrigin = { elsewhere: true }

export type CoreEventListener = (event: CoreEvent, origin: EventOrigin) => void

export class EventBus {
  private readonly listeners = new Set<CoreEventListener>()

  subscribe(listener: CoreEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  publish(event: CoreEvent, origin: EventOrigin = HERE): void {
    for (const listener of this.listeners) {
      try {
        listener(event, origin)
      } catch (error) {
        console.error(error)
      }
    }
  }
}
