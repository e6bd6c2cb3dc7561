// The queue's fast paths keep every guarantee of the slow ones: jobs read as value arrays equal the
// jobs read as row objects, a create is one transaction with its checks, and a worker's one-statement
// settle is still fenced by its lease and by the move table.
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreEvent } from '../../src-main/contract/events'
import { JobClaimer } from '../../src-main/core/queue/claim'
import { jobReader, type JobRow, rowToJob } from '../../src-main/core/store/job-store'
import { addSite, openTempCore, type TempCore, validJob } from '../support/temp-core'

let temp: TempCore
beforeEach(() => {
  temp = openTempCore()
})
afterEach(() => temp.cleanup())

const OWNER = 'test-owner'
const completedPatch = { lease_owner: null, lease_expires_at: null, completed_at: '2026-11-22T10:00:01.000Z', error: null, output: 'ok', ran_route: 'lan' as const }

/** A job claimed by OWNER, as the engine claims it. */
function claimedJob() {
  const site = addSite(temp.core)
  temp.core.jobs.create(validJob(site.id))
  const job = new JobClaimer(temp.core.db).claim(OWNER, Date.now(), 30_000)
  if (!job) throw new Error('nothing was claimed')
  return job
}

describe('the queue hot path', () => {
  it('reads a job from a value array exactly as rowToJob reads the row object, every column set', () => {
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id, { revert_after_s: 60, batch_id: 'b-1' }))
    // Every nullable column filled, so a column missing from jobReader (or read from the wrong place) shows.
    temp.core.db
      .prepare(
        `UPDATE jobs SET associated_backup = 'b.rsc', started_at = 's', completed_at = 'c', failed_at = 'f', log_url = 'l',
           ran_route = 'lan', attempts = 3, next_attempt_at = 1700000000000, error_message = 'm', error_category = 'router',
           error_line = 4, error_column = 5, output = 'o', cancel_requested_at = 'cr', canceled_at = 'ca',
           cancel_refused_reason = 'r', cloud_job_id = 'cj', synced_at = 'sa' WHERE id = ?`,
      )
      .run(job.id)
    const fromObject = rowToJob(temp.core.db.prepare('SELECT * FROM jobs WHERE id = ?').get(job.id) as JobRow)
    const raw = temp.core.db.prepare('SELECT * FROM jobs WHERE id = ?')
    const fromValues = jobReader(raw)(raw.get(job.id) as unknown[])
    expect(fromValues).toEqual(fromObject)
    // The same keys in the same order: JSON output (the CLI's --json) does not change.
    expect(Object.keys(fromValues)).toEqual(Object.keys(fromObject))
  })

  it('a created job is the job stored, and the create is one commit', () => {
    const site = addSite(temp.core)
    const other = new Database(`${temp.dataDir}/fieldjobs.db`, { readonly: true })
    const commits = () => other.pragma('data_version', { simple: true }) as number
    try {
      const before = commits()
      const { job } = temp.core.jobs.create(validJob(site.id))
      expect(commits()).toBe(before + 1)
      expect(job).toEqual(temp.core.jobStore.find(job.id))
    } finally {
      other.close()
    }
  })

  it('a refused create leaves nothing behind and announces nothing', () => {
    const events: CoreEvent[] = []
    temp.core.events.subscribe((event) => events.push(event))
    expect(() => temp.core.jobs.create(validJob('7c7c1e4e-1918-4918-8a18-1e1818181818'))).toThrow(/no site with id/)
    expect(() => temp.core.jobs.create({ site_id: 'nope', description: 'x', script: '' })).toThrow(/site_id/)
    expect(events).toEqual([])
    expect(temp.core.jobStore.count()).toBe(0)
  })

  it("the lease holder's settle moves the job, announces it from in_progress, and releases the lease", () => {
    const job = claimedJob()
    const events: CoreEvent[] = []
    temp.core.events.subscribe((event) => events.push(event))
    const done = temp.core.jobStore.transition(job.id, 'completed', completedPatch, { leaseOwner: OWNER })
    expect(done).toMatchObject({ status: 'completed', output: 'ok', ran_route: 'lan' })
    expect(events).toEqual([{ type: 'job.changed', job: done, from: 'in_progress' }])
    expect(temp.core.jobStore.getRow(job.id)).toMatchObject({ status: 'completed', lease_owner: null })
  })

  it('a settle without the lease writes nothing', () => {
    const job = claimedJob()
    expect(temp.core.jobStore.transition(job.id, 'completed', completedPatch, { leaseOwner: 'someone-else' })).toBeUndefined()
    expect(temp.core.jobStore.getRow(job.id)).toMatchObject({ status: 'in_progress', lease_owner: OWNER, output: null })
  })

  it('a settle of a job canceled meanwhile keeps the real outcome, announced from canceling', () => {
    const job = claimedJob()
    temp.core.jobs.cancel(job.id)
    const events: CoreEvent[] = []
    temp.core.events.subscribe((event) => events.push(event))
    const done = temp.core.jobStore.transition(job.id, 'completed', completedPatch, { leaseOwner: OWNER })
    expect(done?.status).toBe('completed')
    expect(events).toEqual([{ type: 'job.changed', job: done, from: 'canceling' }])
  })

  it('the move table still refuses what it refuses, with the lease held', () => {
    const job = claimedJob()
    temp.core.jobStore.transition(job.id, 'completed', completedPatch, { leaseOwner: OWNER })
    // Completed is final; a second settle by a stale worker that still names the lease is fenced (released lease).
    expect(temp.core.jobStore.transition(job.id, 'failed', {}, { leaseOwner: OWNER })).toBeUndefined()
    temp.core.db.prepare('UPDATE jobs SET lease_owner = ? WHERE id = ?').run(OWNER, job.id)
    expect(() => temp.core.jobStore.transition(job.id, 'failed', {}, { leaseOwner: OWNER })).toThrow(/a completed job cannot become failed/)
    expect(() => temp.core.jobStore.transition('no-such-job', 'completed', {}, { leaseOwner: OWNER })).toThrow(/no job with id/)
  })
})
