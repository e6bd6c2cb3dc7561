// The job history as a virtualized table: only the rows in view (plus a few) are in the DOM, the
// scroll height comes from `total`, and pages load by keyset as rows come into view.
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'
import type { Job } from '../../../src-main/contract/job-schema'
import { routeHref } from '../app/route'
import { formatSoon, formatTime, pendingHold, routeLabels } from './job-wording'
import type { JobWindow } from './job-window'
import { StatusBadge } from './StatusBadge'

export const ROW_HEIGHT = 28
/** Rows asked for beyond the view, so a steady scroll meets loaded rows, not placeholders. */
const LOOKAHEAD = 120

interface JobListProps {
  window: JobWindow
  /** Bumped whenever the window's rows change, so the list re-renders. */
  version: number
  selected: number
  openId: string | undefined
  siteName(id: string): string
  onSelect(index: number): void
  /** Scrolls `selected` into view when this changes (keyboard moves). */
  scrollRequest: number
}

export function JobList({ window: jobs, version, selected, openId, siteName, onSelect, scrollRequest }: JobListProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: jobs.total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Keys by position: a row that finishes loading updates in place instead of remounting.
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? -1

  useEffect(() => {
    if (last >= first) jobs.ensure(Math.max(0, first - LOOKAHEAD / 2), last + LOOKAHEAD)
  }, [jobs, first, last, version])

  useEffect(() => {
    if (scrollRequest > 0 && selected >= 0) virtualizer.scrollToIndex(selected, { align: 'auto' })
    // Only keyboard moves scroll; a click selects what is already in view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollRequest])

  return (
    <div className="job-table" role="table" aria-label="Jobs" aria-rowcount={jobs.total}>
      <div className="job-row job-head" role="row">
        <span role="columnheader" className="col-token">token</span>
        <span role="columnheader" className="col-status">status</span>
        <span role="columnheader" className="col-desc">description</span>
        <span role="columnheader" className="col-site">site</span>
        <span role="columnheader" className="col-route">route</span>
        <span role="columnheader" className="col-time">created</span>
      </div>
      <div className="job-scroll" ref={scroller} data-testid="job-list-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const job = jobs.rows[item.index]
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={item.index === selected}
                className={`job-row${item.index === selected ? ' selected' : ''}${job && job.id === openId ? ' open' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                data-testid={job ? 'job-row' : 'job-row-loading'}
                data-token={job?.token}
                data-index={item.index}
                onClick={() => onSelect(item.index)}
              >
                {job ? <JobCells job={job} siteName={siteName} /> : <span className="loading-cell">loading…</span>}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}

function JobCells({ job, siteName }: { job: Job; siteName(id: string): string }) {
  return (
    <>
      <span role="cell" className="col-token mono">
        <a href={routeHref('jobs', job.id)} data-testid="job-link" tabIndex={-1}>
          {job.token}
        </a>
      </span>
      <span role="cell" className="col-status">
        <StatusBadge job={job} />
        <WaitingFor job={job} />
      </span>
      <span role="cell" className="col-desc" title={job.description}>
        {job.description}
      </span>
      <span role="cell" className="col-site">{siteName(job.site_id)}</span>
      <span role="cell" className="col-route">
        {routeLabels[job.route]}
        {job.ran_route && job.ran_route !== job.route ? ` → ${routeLabels[job.ran_route]}` : ''}
        {job.sync_state === 'outbox' ? ' ⇡' : ''}
      </span>
      <span role="cell" className="col-time mono" title={job.created_at}>
        {formatTime(job.created_at)}
      </span>
    </>
  )
}

/**
 * What a pending job waits for, if something holds it: its batch's canary, its maintenance window,
 * or the end of a retry's backoff (nothing reached the router; the engine tries again then).
 */
function WaitingFor({ job }: { job: Job }) {
  const hold = pendingHold(job)
  if (!hold) return null
  if (hold.kind === 'canary') return <span className="dim small waiting-for" data-testid="job-starts"> after canary</span>
  // A time already past holds nothing: the job is due, and the list says nothing more.
  if (Date.parse(hold.at) <= Date.now()) return null
  const title =
    hold.kind === 'retry'
      ? `next attempt ${formatTime(hold.at)}; waiting to retry: ${job.error?.message ?? ''}`
      : `not before ${formatTime(hold.at)} (${hold.at})`
  return (
    <span className="dim small waiting-for" data-testid="job-starts" title={title}>
      {' '}
      {hold.kind === 'retry' ? 'retries' : 'starts'} {formatSoon(hold.at)}
    </span>
  )
}
