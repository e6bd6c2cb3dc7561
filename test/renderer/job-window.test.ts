// The job list's window on the history and events that arrive while its first page is on its way:
// the page is read at some moment in between, so each event may be in it already or not. None may
// be lost, and none counted twice.
import { describe, expect, it } from 'vitest'
import type { JobPage } from '../../src-main/contract/ipc-contract'
import type { Job, JobStatus } from '../../src-main/contract/job-schema'
import { type FetchJobPage, JobWindow } from '../../src-renderer/src/jobs/job-window'
import { jobFixture } from '../support/job-fixture'

const job = (seq: number, status: JobStatus = 'pending', at = `2025-01-01T10:00:${String(seq).padStart(2, '0')}.000Z`): Job =>
  jobFixture({ id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, token: `J${seq}`, seq, status, updated_at: at })

/** A fetch whose answer is fixed now (the read) and delivered when the test says. */
function heldFetch() {
  let deliver: (page: JobPage) => void = () => {}
  const fetchPage: FetchJobPage = () => new Promise<JobPage>((resolve) => (deliver = resolve))
  return { fetchPage, deliver: (page: JobPage) => deliver(page) }
}

const ids = (window: JobWindow) => window.rows.map((row) => row?.seq ?? null)

describe('events that arrive while the first page loads', () => {
  it('adds a job created after the read, once, and not one the read already had', async () => {
    const held = heldFetch()
    const window = new JobWindow(held.fetchPage, {}, () => {})
    const started = window.start(50)
    // Job 3 was created before the read (the page has it); job 4 after.
    expect(window.apply({ type: 'job.created', job: job(3) })).toBe(false)
    expect(window.apply({ type: 'job.created', job: job(4) })).toBe(false)
    held.deliver({ jobs: [job(3), job(2), job(1)], total: 3 })
    await started
    expect(ids(window)).toEqual([4, 3, 2, 1])
  })

  it('ends each row at the state of its last event, whether that came before or after the read', async () => {
    const held = heldFetch()
    const window = new JobWindow(held.fetchPage, {}, () => {})
    const started = window.start(50)
    const running = job(2, 'in_progress', '2025-01-01T10:01:00.000Z')
    const done = job(2, 'completed', '2025-01-01T10:02:00.000Z')
    window.apply({ type: 'job.changed', job: running, from: 'pending' })
    window.apply({ type: 'job.changed', job: done, from: 'in_progress' })
    // The read saw the job running: the event after it (completed) must win.
    held.deliver({ jobs: [running, job(1)], total: 2 })
    await started
    expect(window.rows[0]?.status).toBe('completed')
  })

  it('under a status filter, adds a job that came into it after the read and drops one that left', async () => {
    const held = heldFetch()
    const window = new JobWindow(held.fetchPage, { statuses: ['failed'] }, () => {})
    const started = window.start(50)
    window.apply({ type: 'job.changed', job: job(5, 'failed'), from: 'in_progress' })
    window.apply({ type: 'job.changed', job: job(3, 'pending'), from: 'failed' }) // retried
    held.deliver({ jobs: [job(3, 'failed'), job(1, 'failed')], total: 2 })
    await started
    expect(ids(window)).toEqual([5, 1])
    expect(window.total).toBe(2)
  })

  it('leaves the total as read for an early event about a row it never loaded', async () => {
    const held = heldFetch()
    const window = new JobWindow(held.fetchPage, { statuses: ['failed'] }, () => {})
    const started = window.start(2)
    // Job 1 is below the first page: whether the read counted its retry is unknown.
    window.apply({ type: 'job.changed', job: job(1, 'pending'), from: 'failed' })
    held.deliver({ jobs: [job(9, 'failed'), job(8, 'failed')], total: 5 })
    await started
    expect(window.total).toBe(5)
    // The same event once loaded is not ambiguous: the row left the filter, one fewer to count.
    window.apply({ type: 'job.changed', job: job(2, 'pending'), from: 'failed' })
    expect(window.total).toBe(4)
  })

  it('hears nothing once disposed', async () => {
    const held = heldFetch()
    const window = new JobWindow(held.fetchPage, {}, () => {})
    const started = window.start(50)
    window.dispose()
    window.apply({ type: 'job.created', job: job(2) })
    held.deliver({ jobs: [job(1)], total: 1 })
    await started
    expect(window.rows).toEqual([])
  })
})

describe('a job leaving the filter from outside the rows', () => {
  it('drops nothing when every row is loaded, and one unloaded row when some are not', async () => {
    const all = new JobWindow(async () => ({ jobs: [job(3, 'failed'), job(2, 'failed')], total: 2 }), { statuses: ['failed'] }, () => {})
    await all.start(50)
    // Job 1 was never in this list (it did not match); its move out of `failed` must not drop a row.
    all.apply({ type: 'job.changed', job: job(1, 'pending'), from: 'failed' })
    expect(ids(all)).toEqual([3, 2])

    const partial = new JobWindow(async () => ({ jobs: [job(9, 'failed')], total: 3 }), { statuses: ['failed'] }, () => {})
    await partial.start(1)
    partial.apply({ type: 'job.changed', job: job(1, 'pending'), from: 'failed' })
    expect(ids(partial)).toEqual([9, null])
  })
})

describe('a job first heard of as a change', () => {
  /** A window whose first page (the newest `count` rows) has landed. */
  async function landed(page: JobPage, count = 50) {
    const window = new JobWindow(async () => page, {}, () => {})
    await window.start(count)
    return window
  }

  it('is shown when it belongs among the loaded rows: its creation never reached this list', async () => {
    const window = await landed({ jobs: [job(2), job(1)], total: 2 })
    // Another process queued job 3, and this process's queue claimed it before its creation was announced.
    expect(window.apply({ type: 'job.changed', job: job(3, 'in_progress'), from: 'pending' })).toBe(true)
    expect(ids(window)).toEqual([3, 2, 1])
    // Its creation, announced late, is not added twice.
    expect(window.apply({ type: 'job.created', job: job(3, 'in_progress') })).toBe(false)
    expect(window.total).toBe(3)
  })

  it('is not guessed into a list whose older rows are not loaded', async () => {
    const window = await landed({ jobs: [job(9), job(8)], total: 9 }, 2)
    // Job 4 lies below the loaded rows: the total counted it already.
    expect(window.apply({ type: 'job.changed', job: job(4, 'in_progress'), from: 'pending' })).toBe(false)
    expect(window.total).toBe(9)
  })
})
