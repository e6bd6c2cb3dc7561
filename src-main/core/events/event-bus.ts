// A typed, synchronous publish/subscribe. A listener that throws is logged, never allowed to stop
// the publisher: a broken UI subscription must not fail a job.
import type { CoreEvent } from '../../contract/events'

export type CoreEventListener = (event: CoreEvent) => void

export class EventBus {
  private readonly listeners = new Set<CoreEventListener>()

  subscribe(listener: CoreEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  publish(event: CoreEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (error) {
        console.error(error)
      }
    }
  }
}
