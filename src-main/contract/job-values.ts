// The job's vocabularies as plain lists, without zod, so the stores load without it
// (fieldjobs-stores.ts says why). job-schema.ts builds its enums from these.

export const jobStatuses = [
  'pending',
  'in_progress',
  'canceling',
  'completed',
  'failed',
  'canceled',
  /** The process died while the job ran: the script may or may not have reached the router. */
  'unknown',
  /** A commit-confirmed job whose router restored its snapshot because the app lost it. */
  'reverted',
] as const

export const jobRoutes = ['auto', 'lan', 'cloud'] as const

/**
 * Where a job stands with the cloud. `local`: the cloud has never heard of it (a cancel is purely
 * local). `outbox`: waiting to be created there. `synced`: the cloud has it (cloud_job_id is set).
 * `cancel_pending`: a cancel must still reach the cloud. `done`: nothing left to sync.
 */
export const syncStates = ['local', 'outbox', 'synced', 'cancel_pending', 'done'] as const

export const errorCategories = [
  'validation',
  'connection',
  'timeout',
  'auth',
  'tls',
  'router',
  'script',
  'cloud',
  'canceled',
  'internal',
] as const

/**
 * Tomorrow at 22:00 (UTC by default), without an offset: the example an error about a window's start
 * gives. A fixed date would soon lie in the past, and a past start is refused (JobService).
 */
export function windowExample(nowMs = Date.now(), local = false): string {
  const day = new Date(nowMs + 86_400_000)
  const [year, month, date] = local ? [day.getFullYear(), day.getMonth() + 1, day.getDate()] : [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()]
  return `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}T22:00:00`
}
