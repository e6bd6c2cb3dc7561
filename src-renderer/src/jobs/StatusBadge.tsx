import type { Job } from '../../../src-main/contract/job-schema'
import { jobStateLabel } from './job-wording'

/** The job's state as a coloured pill; 'delivered' gets its own colour, not completed's green. */
export function StatusBadge({ job }: { job: Pick<Job, 'status' | 'needs_acknowledgement'> }) {
  const label = jobStateLabel(job)
  const tone = label === 'delivered' ? 'delivered' : job.status
  return (
    <span className={`status status-${tone}`} data-testid="job-status" data-status={job.status}>
      {label}
    </span>
  )
}
