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
