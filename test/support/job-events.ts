// Waits on the core's events (never on sleeps): a job reaching a state, a sync status.
import type { CoreEvent } from '../../src-main/contract/events'
import { isFinished, type Job } from '../../src-main/contract/job-schema'
import type { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'

/** Resolves with the job once `matches` holds (now, or at a later job event). */
export function untilJob(core: FieldjobsCore, id: string, matches: (job: Job) => boolean): Promise<Job> {
  const now = core.jobStore.get(id)
  if (now && matches(now)) return Promise.resolve(now)
  return core.events
    .next((event: CoreEvent) => (event.type === 'job.changed' || event.type === 'job.created') && event.job.id === id && matches(event.job))
    .then((event) => (event as Extract<CoreEvent, { type: 'job.changed' }>).job)
}

/** Resolves with the job once it has finished (completed, failed, canceled, ...). */
export const untilFinished = (core: FieldjobsCore, id: string): Promise<Job> => untilJob(core, id, (job) => isFinished(job.status))

/** Resolves with the first sync.status event that matches. */
export function untilSyncStatus(core: FieldjobsCore, matches: (event: Extract<CoreEvent, { type: 'sync.status' }>) => boolean) {
  return core.events.next(
    (event): event is Extract<CoreEvent, { type: 'sync.status' }> => event.type === 'sync.status' && matches(event),
  )
}
