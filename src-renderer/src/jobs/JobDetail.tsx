// One job, everything about it: what it is, where it ran, its timeline, the script with the line
// the router stopped at, the output, the backup, and Cancel with what the cancel did.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Job } from '../../../src-main/contract/job-schema'
import { isFinished, linesThatRan } from '../../../src-main/contract/job-schema'
import { useApi, useCoreEvents } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { useAppData } from '../app/app-data'
import { routeHref } from '../app/route'
import { ScriptView } from '../new-job/ScriptView'
import { cancelEndText, cancelOutcomeText } from './cancel-outcome'
import { formatTime, jobStateExplanation, routeLabels, syncExplanation } from './job-wording'
import { StatusBadge } from './StatusBadge'

interface Progress {
  message: string
  at: string
}

/** Events and call answers can arrive out of order (a cancel's answer after the event that ended the
 * job): keep whichever snapshot is newer, so the detail never steps back. */
const newer = (current: Job | null, next: Job) => (current && current.updated_at > next.updated_at ? current : next)

/** One progress line, told by its time and words: the stored copy and the announced one are the same line. */
const sameLine = (a: { at: string; message: string }, b: { at: string; message: string }) => a.at === b.at && a.message === b.message

export function JobDetail({ jobId, onClose }: { jobId: string; onClose(): void }) {
  const api = useApi()
  const { siteName, status } = useAppData()
  const [job, setJob] = useState<Job | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [progress, setProgress] = useState<Progress[]>([])
  const [cancelState, setCancelState] = useState<{ busy: boolean; text: string | null; refused: boolean }>({
    busy: false,
    text: null,
    refused: false,
  })
  const heading = useRef<HTMLHeadingElement>(null)
  // The snapshot taken after the job's script succeeded: with the backup before it, what the job changed.
  const [afterSnapshot, setAfterSnapshot] = useState<string | null>(null)

  // The lines the job said before this view opened (stored), then live ones from events.
  useEffect(() => {
    let live = true
    api['jobs:progress']({ id: jobId }).then(
      (stored) => live && setProgress((current) => [...stored, ...current.filter((line) => !stored.some((old) => sameLine(old, line)))]),
      () => {}, // The live lines still come; the stored ones wait for a reload.
    )
    return () => {
      live = false
    }
  }, [api, jobId])

  useEffect(() => {
    let live = true
    api['jobs:get']({ id: jobId }).then(
      (loaded) => live && setJob((current) => newer(current, loaded)),
      (error) => live && setLoadError(errorMessage(error)),
    )
    return () => {
      live = false
    }
  }, [api, jobId])

  const siteId = job?.site_id
  const before = job?.associated_backup ?? null
  const finished = job ? isFinished(job.status) : false
  useEffect(() => {
    if (!siteId || !before || !finished) return
    let live = true
    api['backups:list']({ site_id: siteId }).then(
      (backups) => {
        const after = backups.find((backup) => backup.job_id === jobId && backup.path !== before)
        if (live) setAfterSnapshot(after?.path ?? null)
      },
      () => live && setAfterSnapshot(null), // The before-backup links still work; the change link waits for a reload.
    )
    return () => {
      live = false
    }
  }, [api, jobId, siteId, before, finished])

  useEffect(() => {
    if (job) heading.current?.focus()
    // Focus the panel once, when it opens, so screen readers and Tab start here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job?.id])

  useCoreEvents((event) => {
    if ((event.type === 'job.changed' || event.type === 'job.created') && event.job.id === jobId) {
      setJob((current) => newer(current, event.job))
    }
    if (event.type === 'job.progress' && event.job_id === jobId) {
      const line = { message: event.message, at: event.at }
      // A line another process said reaches this window up to half a second after it is stored
      // (other-writers.ts), so the stored lines read at opening may hold it already.
      setProgress((current) => (current.some((old) => sameLine(old, line)) ? current : [...current.slice(-49), line]))
    }
  })

  const cancel = useCallback(async () => {
    setCancelState({ busy: true, text: null, refused: false })
    try {
      const result = await api['jobs:cancel']({ id: jobId })
      setJob((current) => newer(current, result.job))
      setCancelState({ busy: false, text: cancelOutcomeText(result), refused: Boolean(result.job.cancel_refused_reason) })
    } catch (error) {
      setCancelState({ busy: false, text: `cancel refused: ${errorMessage(error)}`, refused: true })
    }
  }, [api, jobId])

  if (loadError) {
    return (
      <aside className="job-detail" data-testid="job-detail" aria-label="Job">
        <div className="notice error" role="alert">
          {loadError}
        </div>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </aside>
    )
  }
  if (!job) return <aside className="job-detail" data-testid="job-detail-loading" aria-busy="true" />

  const explanation = jobStateExplanation(job)
  const sync = syncExplanation(job, status?.cloud_online ?? null)
  const cancelable = !isFinished(job.status)
  // A refusal the cloud sent later (the job left canceling) outranks what the click said then.
  const refusedReason = job.cancel_refused_reason
  // What the click said ("canceling: told to stop") holds only until the job ends: then the banner
  // says how it ended, since a stale "canceling" beside "canceled" would contradict the state.
  const stale = isFinished(job.status) && !cancelState.refused && cancelState.text?.startsWith('canceling') === true
  const clickText = stale ? cancelEndText(job.status) : cancelState.text
  const outcomeText = refusedReason ? `cancel refused: ${refusedReason}` : clickText
  const outcomeIsError = Boolean(refusedReason) || cancelState.refused

  return (
    <aside className="job-detail" data-testid="job-detail" aria-labelledby="job-detail-title" data-job-status={job.status}>
      <header className="detail-head">
        <h2 id="job-detail-title" tabIndex={-1} ref={heading}>
          <span className="mono" data-testid="detail-token">
            {job.token}
          </span>{' '}
          <StatusBadge job={job} />
        </h2>
        <div className="detail-actions">
          <button
            type="button"
            className="danger"
            onClick={cancel}
            disabled={!cancelable || cancelState.busy}
            data-testid="cancel-job"
            title="Cancel this job (c)"
          >
            {cancelState.busy ? 'Canceling…' : 'Cancel job'}
          </button>
          <button type="button" onClick={onClose} data-testid="close-detail" title="Close (Esc)">
            Close
          </button>
        </div>
      </header>
      <p className="detail-description" data-testid="detail-description">
        {job.description}
      </p>
      {explanation && (
        <div className={`notice state-${job.status === 'completed' ? 'delivered' : job.status}`} role="note" data-testid="state-explanation">
          {explanation}
        </div>
      )}
      {sync && (
        <div className="notice sync" role="note" data-testid="sync-explanation">
          {sync}
        </div>
      )}
      {outcomeText && (
        <div className={`notice ${outcomeIsError ? 'error' : ''}`} role="status" data-testid="cancel-outcome">
          {outcomeText}
        </div>
      )}

      <dl className="facts">
        <dt>site</dt>
        <dd>
          <a href={routeHref('sites', job.site_id)}>{siteName(job.site_id)}</a>
        </dd>
        <dt>route</dt>
        <dd data-testid="detail-route">
          {routeLabels[job.route]}
          {job.ran_route ? `, ran over ${routeLabels[job.ran_route]}` : job.started_at ? '' : ', not run yet'}
        </dd>
        <dt>flags</dt>
        <dd>
          {[
            job.should_backup && 'backup',
            job.needs_acknowledgement ? 'needs ack' : 'no ack (deliver only)',
            job.express_execute && 'express',
            job.revert_after_s !== null && `revert after ${job.revert_after_s} s`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </dd>
        <dt>cloud job</dt>
        <dd className="mono" data-testid="detail-cloud-job-id">
          {job.cloud_job_id ?? '—'}
        </dd>
        <dt>sync</dt>
        <dd data-testid="detail-sync-state">{job.sync_state}</dd>
        <dt>attempts</dt>
        <dd>
          {job.attempts}
          {job.next_attempt_at && job.status === 'pending' ? `, next at ${formatTime(job.next_attempt_at)}` : ''}
        </dd>
        {job.batch_id && (
          <>
            <dt>batch</dt>
            <dd className="mono">{job.batch_id}</dd>
          </>
        )}
        {job.log_url && (
          <>
            <dt>log</dt>
            <dd className="mono">{job.log_url}</dd>
          </>
        )}
      </dl>

      <Timeline job={job} />

      {job.error && (
        <section className="job-error" data-testid="job-error" aria-label="Error">
          {/* A cancel's reason (its batch's canary failed) is not an error of the job's own. */}
          <h3>{job.error.category === 'canceled' ? 'Why it was canceled' : `Error (${job.error.category})`}</h3>
          <p className="mono">{job.error.message}</p>
          {job.error.line !== null && (
            <p data-testid="error-position">
              at line {job.error.line}
              {job.error.column !== null ? `, column ${job.error.column}` : ''}
            </p>
          )}
          {linesThatRan(job.error) && (
            <p className="warning" data-testid="error-earlier-lines">
              <EarlierLines ran={linesThatRan(job.error) as string} />
            </p>
          )}
        </section>
      )}

      <section aria-label="Script">
        <h3>Script</h3>
        <ScriptView script={job.script} errorLine={job.error?.line ?? null} />
      </section>

      {progress.length > 0 && (
        <section aria-label="Progress">
          <h3>Progress</h3>
          <ul className="progress-log" data-testid="job-progress">
            {progress.map((entry, index) => (
              <li key={index}>
                <span className="mono dim">{formatTime(entry.at)}</span> {entry.message}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-label="Output">
        <h3>Output</h3>
        {job.output ? (
          <pre className="output" data-testid="job-output">
            {job.output}
          </pre>
        ) : (
          <p className="dim">No output.</p>
        )}
      </section>

      <section aria-label="Backup">
        <h3>Backup</h3>
        {job.associated_backup ? (
          <p>
            <span className="mono" data-testid="job-backup-path">
              {job.associated_backup}
            </span>{' '}
            <a href={routeHref('backups', undefined, { site: job.site_id, path: job.associated_backup })} data-testid="open-backup">
              Open
            </a>{' '}
            ·{' '}
            <a
              href={routeHref('backups', undefined, { site: job.site_id, path: job.associated_backup, diff: 'previous' })}
              data-testid="diff-backup"
            >
              Diff against previous
            </a>
            {afterSnapshot && (
              <>
                {' '}
                ·{' '}
                <a
                  href={routeHref('backups', undefined, { site: job.site_id, path: afterSnapshot, diff: job.associated_backup })}
                  data-testid="diff-job-change"
                >
                  What this job changed
                </a>
              </>
            )}
          </p>
        ) : (
          <p className="dim">{job.should_backup ? 'A backup is taken before the script runs.' : 'No backup asked for.'}</p>
        )}
      </section>
    </aside>
  )
}

/** "Line 1 ran before the router stopped: its changes ...", or "Lines 1-4 ran ...: their changes ...". */
function EarlierLines({ ran }: { ran: string }) {
  const changes = ran.startsWith('line ') ? 'its changes' : 'their changes'
  return <>{`${ran[0]?.toUpperCase()}${ran.slice(1)} before the router stopped: ${changes} may be in effect on the router.`}</>
}

function Timeline({ job }: { job: Job }) {
  const steps: Array<{ label: string; at: string | null; tone?: string }> = [
    { label: 'created', at: job.created_at },
    { label: 'synced', at: job.synced_at },
    { label: 'started', at: job.started_at },
    { label: 'cancel asked', at: job.cancel_requested_at },
    { label: 'completed', at: job.completed_at, tone: 'completed' },
    { label: 'failed', at: job.failed_at, tone: 'failed' },
    { label: 'canceled', at: job.canceled_at, tone: 'canceled' },
  ]
  // Steps still ahead are shown greyed while the job can reach them; a finished job shows its path.
  const ahead = isFinished(job.status) ? [] : ['started', 'completed']
  const shown = steps.filter((step) => step.at !== null || step.label === 'created' || ahead.includes(step.label))
  return (
    <ol className="timeline" data-testid="job-timeline" aria-label="Timeline">
      {shown.map((step) => (
        <li key={step.label} className={step.at ? `reached ${step.tone ?? ''}` : 'not-reached'} data-step={step.label}>
          <span className="step">{step.label}</span>
          <span className="mono" title={step.at ?? undefined}>
            {step.at ? formatTime(step.at) : '—'}
          </span>
        </li>
      ))}
      {job.status === 'unknown' && (
        <li className="reached unknown" data-step="unknown">
          <span className="step">outcome unknown</span>
          <span className="mono">{formatTime(job.updated_at)}</span>
        </li>
      )}
    </ol>
  )
}
