import type { CancelResult } from '../../../src-main/contract/ipc-contract'
import type { JobStatus } from '../../../src-main/contract/job-schema'
import { statusLabels } from '../../../src-main/contract/job-wording'

/** What a cancel did, in words. A refusal carries the core's reason on the job. */
export function cancelOutcomeText(result: CancelResult): string {
  if (result.job.cancel_refused_reason) return `cancel refused: ${result.job.cancel_refused_reason}`
  switch (result.outcome) {
    case 'canceled':
      return 'canceled'
    case 'canceling':
      return 'canceling: the job stops as soon as the router or the cloud lets go of it'
    case 'already_canceled':
      return 'was already canceled'
  }
}

/** How a job that was told to stop actually ended: stopped, or it got to its end first. */
export function cancelEndText(status: JobStatus): string {
  return status === 'canceled' ? 'canceled' : `too late to stop: the job is ${statusLabels[status]}`
}
