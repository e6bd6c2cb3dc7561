import type { CancelResult } from '../../../src-main/contract/ipc-contract'

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
