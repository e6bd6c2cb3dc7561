// A queued batch, live: one row per site with its job's state and error, the counts, and Cancel
// for what has not started (running jobs are told to stop). Rows follow job events.
import { useEffect, useState } from 'react'
import type { BatchDetail } from '../../../src-main/contract/ipc-contract'
import { isFinished } from '../../../src-main/contract/job-schema'
import { useApi, useCoreEvents } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { useAppData } from '../app/app-data'
import { routeHref } from '../app/route'
import { StatusBadge } from '../jobs/StatusBadge'
import { counted } from '../../../src-main/contract/counted'

export function BatchTable({ batchId }: { batchId: string }) {
  const api = useApi()
  const { siteName } = useAppData()
  const [batch, setBatch] = useState<BatchDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  // An event that arrives before the first answer may be newer than it: read the batch again then.
  const [reload, setReload] = useState(0)

  useEffect(() => {
    let live = true
    api['batches:get']({ batch_id: batchId }).then(
      (loaded) => live && setBatch(loaded),
      (failure) => live && setError(errorMessage(failure)),
    )
    return () => {
      live = false
    }
  }, [api, batchId, reload])

  useCoreEvents((event) => {
    if ((event.type === 'job.changed' || event.type === 'job.created') && event.job.batch_id === batchId) {
      if (!batch) {
        setReload((value) => value + 1)
        return
      }
      setBatch((current) => {
        if (!current) return current
        const jobs = current.jobs.map((job) => (job.id === event.job.id && job.updated_at <= event.job.updated_at ? event.job : job))
        const done = jobs.filter((job) => isFinished(job.status)).length
        const failed = jobs.filter((job) => ['failed', 'unknown', 'reverted'].includes(job.status)).length
        return { ...current, jobs, done, failed }
      })
    }
  })

  const cancel = async () => {
    try {
      const results = await api['batches:cancel']({ batch_id: batchId })
      setNotice(`${counted(results.length, 'job')} canceled or told to stop; finished ones keep their outcome`)
    } catch (failure) {
      setNotice(`cancel failed: ${errorMessage(failure)}`)
    }
  }

  if (error) return <p className="notice error" role="alert">Could not load the batch: {error}</p>
  if (!batch) return null
  return (
    <section className="batch-table" aria-label="Batch progress" data-testid="batch-table" data-done={batch.done} data-total={batch.total}>
      <p>
        <strong>
          {batch.done} of {batch.total} done
        </strong>
        {batch.failed > 0 && <span className="error-text">, {batch.failed} failed</span>}
        {batch.canary > 0 && <span className="dim"> · canary: {counted(batch.canary, 'site')} first</span>}
        {batch.concurrency !== null && <span className="dim"> · at most {batch.concurrency} at once</span>}{' '}
        <progress max={batch.total} value={batch.done} aria-label="batch progress" />{' '}
        {batch.done < batch.total && (
          <button type="button" onClick={() => void cancel()} data-testid="cancel-batch">
            Cancel the rest
          </button>
        )}
      </p>
      {notice && (
        <p className="notice" role="status" data-testid="batch-notice">
          {notice}
        </p>
      )}
      <table className="mini-table">
        <thead>
          <tr>
            <th>Site</th>
            <th>Job</th>
            <th>State</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {batch.jobs.map((job) => (
            <tr key={job.id} data-testid="batch-row" data-site={siteName(job.site_id)} data-status={job.status}>
              <td>{siteName(job.site_id)}</td>
              <td>
                <a className="mono" href={routeHref('jobs', job.id)}>
                  {job.token}
                </a>
              </td>
              <td>{job.status === 'pending' && job.waiting_for_canary ? <span className="dim">after canary</span> : <StatusBadge job={job} />}</td>
              <td className="small">{job.error?.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
