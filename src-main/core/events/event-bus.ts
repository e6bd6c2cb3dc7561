// A typed, synchronous publish/subscribe. A listener that throws is reported, never allowed to stop
// the publisher: a broken UI subscription must not fail a job.
import type { CoreEvent } from '../../contract/events'

export type CoreEventListener = (event: CoreEvent) => void

export class EventBus {
  private readonly listeners = new Set<CoreEventListener>()

  constructor(private readonly onListenerError: (error: unknown) => void = (error) => console.error(error)) {}

  subscribe(listener: CoreEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  publish(event: CoreEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }

  /** Resolves with the first event that matches, for tests and for `run --once` style waits. */
  next<T extends CoreEvent>(matches: (event: CoreEvent) => event is T, signal?: AbortSignal): Promise<T>
  next(matches: (event: CoreEvent) => boolean, signal?: AbortSignal): Promise<CoreEvent>
  next(matches: (event: CoreEvent) => boolean, signal?: AbortSignal): Promise<CoreEvent> {
    return new Promise((resolve, reject) => {
      const stop = this.subscribe((event) => {
        if (!matches(event)) return
        stop()
        resolve(event)
      })
      signal?.addEventListener('abort', () => {
        stop()
        reject(signal.reason)
      })
    })
  }
}
