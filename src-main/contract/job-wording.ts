// The words for a job's state, one table for the window and the command line, so both say the same
// thing. Two cases need care, because a wrong word here makes an engineer believe something about a
// router that nobody knows:
// - 'unknown': Fieldjobs stopped while the job ran; the script may or may not have reached the router.
// - completed without needs_acknowledgement: the script was delivered; its result on the router is
//   not known (nobody waited for an answer).
import type { Job, JobStatus } from './job-schema'

export const statusLabels: Record<JobStatus, string> = {
  pending: 'pending',
  in_progress: 'running',
  canceling: 'canceling',
  completed: 'completed',
  failed: 'failed',
  canceled: 'canceled',
  unknown: 'outcome unknown',
  reverted: 'reverted',
}

/** The short label of a job's state, as the list and the detail show it. */
export function jobStateLabel(job: Pick<Job, 'status' | 'needs_acknowledgement'>): string {
  if (job.status === 'completed' && !job.needs_acknowledgement) return 'delivered'
  return statusLabels[job.status]
}

/**
 * What holds a pending job back, if anything: its batch's canary sites, the end of a retry's
 * backoff (nothing reached the router; the engine tries again then), or its maintenance window.
 * The command line's STARTS column and the window's job list both read it, so they name the same
 * hold; each decides whether a time already past is still worth showing.
 */
export type PendingHold = { kind: 'canary' } | { kind: 'retry'; at: string } | { kind: 'window'; at: string }

export function pendingHold(job: Pick<Job, 'status' | 'waiting_for_canary' | 'error' | 'next_attempt_at' | 'not_before'>): PendingHold | undefined {
  if (job.status !== 'pending') return undefined
  if (job.waiting_for_canary) return { kind: 'canary' }
  if (job.error && job.next_attempt_at) return { kind: 'retry', at: job.next_attempt_at }
  if (job.not_before) return { kind: 'window', at: job.not_before }
  return undefined
}
