// Human-readable output for the terminal; `--json` prints the objects themselves instead.
import type { Backup } from '../contract/ipc-contract'
import type { Job, JobError } from '../contract/job-schema'
import { jobStateLabel, pendingHold } from '../contract/job-wording'
import type { Site } from '../contract/site-schema'
import type { ProgressLine } from '../core/store/job-progress-store'

export function siteLine(site: Site): string {
  const cloud = site.cloud_site_id ? ` cloud=${site.cloud_site_id}` : ''
  const tags = site.tags.length > 0 ? `\ttags=${site.tags.join(',')}` : ''
  return `${site.name}\t${site.host}:${site.api_port}${site.tls ? ' tls' : ''}\tuser=${site.username}${cloud}${tags}\n`
}

/** The columns of jobLine, for `job list`'s header. */
export const JOB_LINE_HEADER = 'TOKEN\tSTATE\tROUTE\tSITE\tCREATED\tSTARTS\tDESCRIPTION\n'

/**
 * When a waiting job will start, if something holds it: its batch's canary, its maintenance window,
 * or, for a job waiting out a retry's backoff, the time of its next attempt (later than its window).
 */
export function jobStarts(job: Job): string {
  const hold = pendingHold(job)
  if (!hold) return ''
  return hold.kind === 'canary' ? 'after canary' : hold.at
}

/**
 * One job as a tab-separated line, with the window's words for its state ("running", "outcome
 * unknown", "delivered"). No padding inside a field: `cut -f2` gets the state as it is.
 */
export function jobLine(job: Job, siteName?: string): string {
  const description = job.description.replace(/[\t\n]/g, ' ')
  return `${job.token}\t${jobStateLabel(job)}\t${job.route}\t${siteName ?? job.site_id}\t${job.created_at}\t${jobStarts(job)}\t${description}\n`
}

/** Where in the script an error happened, as far as it is known: ` (line 3 column 7)`, ` (line 3)`, or nothing. */
export function errorPosition(error: Pick<JobError, 'line' | 'column'>): string {
  if (error.line === null) return ''
  return ` (line ${error.line}${error.column !== null ? ` column ${error.column}` : ''})`
}

/** What a status means to the engineer, including the cases where the word alone misleads. */
export function statusExplanation(job: Job): string | undefined {
  if (job.status === 'unknown') {
    return 'outcome unknown: Fieldjobs stopped while this job ran; check the router before running it again'
  }
  if (job.status === 'completed' && !job.needs_acknowledgement) {
    return 'completed means delivered: the job did not ask for acknowledgement, so its result on the router is not known'
  }
  if (job.status === 'reverted') {
    return 'reverted: the app lost the router after the script, so the router restored its configuration from before the job; the change is gone'
  }
  if (job.status === 'pending' && job.waiting_for_canary) return "waiting for the batch's canary sites: starts if they all succeed, else it is canceled"
  if (job.status === 'pending' && job.not_before && Date.parse(job.not_before) > Date.now()) {
    return `waiting for its maintenance window: starts at ${job.not_before} (${new Date(job.not_before).toLocaleString()})`
  }
  if (job.status === 'pending' && job.sync_state === 'outbox') return 'waiting to sync to the cloud'
  if (job.status === 'pending' && job.sync_state === 'synced' && !job.cloud_job_id) {
    return 'sent to the cloud, not confirmed yet: the next sync asks again with the same idempotency key, so it is never created twice'
  }
  if (job.status === 'pending' && job.error) return `waiting to retry: ${job.error.message}`
  if (job.cancel_refused_reason) return `cancel refused: ${job.cancel_refused_reason}`
  return undefined
}

/**
 * `job show`'s label column: as wide as its longest label ("template values") and a space, so every
 * value starts in the same column whatever the job has.
 */
const DETAIL_LABEL_WIDTH = 'template values'.length + 1

/** What `job show` says of a job's backups: each with its role, then the command that diffs them. */
export type JobBackupLine = Pick<Backup, 'id' | 'path' | 'changed'>

export function jobDetail(job: Job, siteName?: string, backups: readonly JobBackupLine[] = [], progress: readonly ProgressLine[] = []): string {
  const lines: Array<[string, string | null | undefined]> = [
    ['token', job.token],
    ['id', job.id],
    ['site', siteName ? `${siteName} (${job.site_id})` : job.site_id],
    ['description', job.description],
    ['status', job.status],
    ['note', statusExplanation(job)],
    ['route', job.ran_route ? `${job.route} (ran on ${job.ran_route})` : job.route],
    ['flags', `backup=${job.should_backup} needs_ack=${job.needs_acknowledgement} express=${job.express_execute}`],
    // As the window says it: when a job waiting out a retry (or its window) is next tried.
    ['attempts', `${job.attempts}${job.status === 'pending' && job.next_attempt_at ? `, next at ${job.next_attempt_at}` : ''}`],
    ['not before', job.not_before],
    ['template values', job.template_values ? Object.entries(job.template_values).map(([key, value]) => `${key}=${value}`).join(' ') : null],
    ['created', job.created_at],
    ['synced', job.synced_at],
    ['started', job.started_at],
    ['completed', job.completed_at],
    ['failed', job.failed_at],
    ['canceled', job.canceled_at],
    ['cloud job', job.cloud_job_id],
    ['backup', job.associated_backup],
    [
      // A cancel's reason (its batch's canary failed) is not an error of the job's own.
      job.error?.category === 'canceled' ? 'reason' : 'error',
      job.error
        ? `${job.error.message}${errorPosition(job.error)} [${job.error.category}]`
        : null,
    ],
  ]
  let text = ''
  const line = (label: string, value: string) => `${label.padEnd(DETAIL_LABEL_WIDTH)}${value}\n`
  for (const [label, value] of lines) if (value) text += line(label, value)
  text += `script:\n${indent(job.script)}`
  if (progress.length > 0) text += `progress:\n${indent(progress.map(({ at, message }) => `${at}  ${message}`).join('\n'))}`
  if (job.output) text += `output:\n${indent(job.output)}`
  // The first backup is the one from before the script; any later one is an after-snapshot.
  for (const [index, backup] of backups.entries()) {
    const role = (index === 0 ? 'before' : 'after').padEnd('before'.length)
    text += line(index === 0 ? 'backups' : '', `${backup.id}  ${role}  ${backup.path}${backup.changed === false ? '  (unchanged)' : ''}`)
  }
  if (backups.length >= 2) text += line('changed', `fieldjobs backup diff ${backups[0]!.id} ${backups[backups.length - 1]!.id}`)
  return text
}

const indent = (text: string) => `${text.replace(/\s+$/, '').replace(/^/gm, '  ')}\n`
