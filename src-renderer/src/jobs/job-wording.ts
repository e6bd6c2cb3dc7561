// The words the window uses for a job's state and its cloud sync. The state labels are the command
// line's too (src-main/contract/job-wording.ts); the sentences here explain the states that mislead.
import { isFinished, type Job } from '../../../src-main/contract/job-schema'

export { jobStateLabel, pendingHold, statusLabels } from '../../../src-main/contract/job-wording'

/** A sentence that explains the state when the label alone could mislead; null when it cannot. */
export function jobStateExplanation(job: Job): string | null {
  switch (job.status) {
    case 'unknown':
      return 'Outcome unknown: Fieldjobs stopped while this job ran. The script may or may not have reached the router — check the router before running it again.'
    case 'completed':
      return job.needs_acknowledgement
        ? null
        : 'Delivered: the script was sent to the router without waiting for an acknowledgement, so its result on the router is not known.'
    case 'reverted':
      return 'Reverted: the router restored its snapshot because Fieldjobs did not confirm the change in time.'
    case 'canceling':
      return 'Canceling: the cancel was asked for; the job stops as soon as the router or the cloud lets go of it.'
    default:
      return null
  }
}

/** Where the job stands with the cloud, in words; null when the cloud has nothing to do with it. */
export function syncExplanation(job: Job, cloudOnline: boolean | null): string | null {
  const whenBack = cloudOnline === false ? 'the cloud is offline; ' : ''
  if (job.sync_state === 'outbox') {
    return `Waiting to sync: ${whenBack}this job is queued here and will sync to the cloud${cloudOnline === false ? ' when it is back' : ''}.`
  }
  // Sent, but the cloud has not confirmed it (no cloud job id): the same key is sent again, never twice.
  if (job.sync_state === 'synced' && job.cloud_job_id === null && !isFinished(job.status)) {
    return `Waiting to sync: ${whenBack}the cloud has not confirmed this job yet; it will sync${cloudOnline === false ? ' when the cloud is back' : ''}.`
  }
  if (job.sync_state === 'cancel_pending') return 'The cancel still has to reach the cloud; it will sync.'
  return null
}

/** A route as the engineer reads it. */
export const routeLabels = { auto: 'auto', lan: 'LAN', cloud: 'cloud' } as const

/**
 * A time soon, for the narrow status column ("starts 22:00:00", "retries 17:56:36"): the time of
 * day when it is today, else the date without the year too. The full time goes in the title.
 */
export function formatSoon(iso: string, now = new Date()): string {
  const full = formatTime(iso)
  const today = formatTime(now.toISOString()).slice(0, 10)
  if (full.slice(0, 10) === today) return full.slice(11)
  return full.slice(5, 16)
}

/** "2024-05-01 12:03:04" in local time: dense and sortable; the ISO string is in the title. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}:${pad(date.getSeconds())}`
}
