// Waits on the core's events (never on sleeps): a job reaching a state, a sync status.
import type { CoreEvent } from '../../src-main/contract/events'
import { isFinished, type Job } from '../../src-main/contract/job-schema'
import type { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import type { EventBus } from '../../src-main/core/events/event-bus'

/** Resolves with the first event on `bus` that matches. */
export function nextEvent<T extends CoreEvent>(bus: EventBus, matches: (event: CoreEvent) => event is T): Promise<T>
export function nextEvent(bus: EventBus, matches: (event: CoreEvent) => boolean): Promise<CoreEvent>
export function nextEvent(bus: EventBus, matches: (event: CoreEvent) => boolean): Promise<CoreEvent> {
  return new Promise((resolve) => {
    const stop = bus.subscribe((event) => {
      if (!matches(event)) return
      stop()
      resolve(event)
    })
  })
}

/** Resolves with the job once `matches` holds (now, or at a later job event). */
export function untilJob(core: FieldjobsCore, id: string, matches: (job: Job) => boolean): Promise<Job> {
  const now = core.jobStore.get(id)
  if (now && matches(now)) return Promise.resolve(now)
  return nextEvent(core.events, (event) => (event.type === 'job.changed' || event.type === 'job.created') && event.job.id === id && matches(event.job))
    .then((event) => (event as Extract<CoreEvent, { type: 'job.changed' }>).job)
}

/** Resolves with the job once it has finished (completed, failed, canceled, ...). */
export const untilFinished = (core: FieldjobsCore, id: string): Promise<Job> => untilJob(core, id, (job) => isFinished(job.status))

/** Resolves with the first sync.status event that matches. */
export function untilSyncStatus(core: FieldjobsCore, matches: (event: Extract<CoreEvent, { type: 'sync.status' }>) => boolean) {
  return nextEvent(
    core.events,
    (event): event is Extract<CoreEvent, { type: 'sync.status' }> => event.type === 'sync.status' && matches(event),
  )
}
