// After a crash: a job found in progress whose worker is gone may have reached the router, so it is
// never run again automatically. It moves to `unknown`, and says why, for a person to decide.
import type { Job } from '../../contract/job-schema'
import type { Clock } from '../clock'
import type { JobStore } from '../store/job-store'
import type { JobClaimer } from './claim'
import { isLeaseOwnerGone } from './lease-owner'

export const INTERRUPTED_MESSAGE =
  'Fieldjobs stopped while this job ran, so its outcome is unknown: the script may have run, partly or fully. ' +
  'Check the router before running it again; it will not be re-run automatically.'

export function reconcileAbandonedJobs(claimer: JobClaimer, jobs: JobStore, clock: Clock, currentOwner: string): Job[] {
  const now = clock.now()
  const rows = claimer.leasedElsewhere(currentOwner)
  const reconciled: Job[] = []
  for (const row of rows) {
    const expired = (row.lease_expires_at ?? 0) < now
    if (!expired && !isLeaseOwnerGone(row.lease_owner as string)) continue
    const job = jobs.transition(
      row.id,
      'unknown',
      {
        lease_owner: null,
        lease_expires_at: null,
        failed_at: null,
        error: { message: INTERRUPTED_MESSAGE, category: 'internal', line: null, column: null },
        output: row.output,
      },
      { leaseOwner: row.lease_owner as string },
    )
    if (job) reconciled.push(job)
  }
  return reconciled
}
