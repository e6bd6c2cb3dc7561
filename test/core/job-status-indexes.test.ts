// The queue's hot queries must select the partial status indexes of migrations 0006 and 0013. SQLite
// picks a partial index only when a query repeats its WHERE term verbatim (and an expression column
// only for the same expression), so a drift between job-status-indexes.ts and the migrations would
// silently turn these into scans of all history.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BatchService } from '../../src-main/core/batch/batch-service'
import { JobClaimer } from '../../src-main/core/queue/claim'
import { addSite, openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
beforeEach(() => {
  temp = openTempCore()
})
afterEach(() => temp.cleanup())

/** Records every SQL text prepared while `action` runs. */
function preparedDuring(action: () => void): string[] {
  const db = temp.core.db
  const original = db.prepare.bind(db)
  const seen: string[] = []
  db.prepare = ((sql: string) => {
    seen.push(sql)
    return original(sql)
  }) as typeof db.prepare
  try {
    action()
  } finally {
    db.prepare = original
  }
  return seen
}

/** The query plan of `sql`, every parameter bound to NULL. */
function planOf(sql: string): string {
  const named = [...new Set([...sql.matchAll(/@(\w+)/g)].map((match) => match[1]!))]
  const positional = (sql.replace(/'[^']*'/g, '').match(/\?/g) ?? []).length
  const statement = temp.core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`)
  const args: unknown[] = Array.from({ length: positional }, () => null)
  if (named.length > 0) args.unshift(Object.fromEntries(named.map((name) => [name, null])))
  return (statement.all(...args) as Array<{ detail: string }>).map((row) => row.detail).join('\n')
}

describe('status indexes (migrations 0006 and 0013)', () => {
  it("the claim walks jobs_queue's pending LAN entries in claim order, without sorting", () => {
    const [sql] = preparedDuring(() => new JobClaimer(temp.core.db))
    const plan = planOf(sql!)
    expect(plan).toContain('SEARCH candidate USING INDEX jobs_queue (status=? AND <expr>=?)')
    expect(plan).not.toContain('TEMP B-TREE')
  })

  it('the claim checks "is this site busy?" among the running entries of jobs_queue', () => {
    const [sql] = preparedDuring(() => new JobClaimer(temp.core.db))
    expect(planOf(sql!)).toMatch(/SEARCH busy USING COVERING INDEX jobs_queue \(status=\?\)/)
  })

  it('a new job is written to one queue index, not two', () => {
    const names = temp.core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'").pluck().all()
    expect(names).toContain('jobs_queue')
    expect(names).not.toContain('jobs_runnable')
    expect(names).not.toContain('jobs_open')
  })

  it('history filtered by attention statuses reads jobs_settled; open ones read jobs_queue', () => {
    const store = temp.core.jobStore
    const failed = preparedDuring(() => store.list({ statuses: ['failed'], limit: 50 }))
    expect(planOf(failed[0]!)).toContain('INDEX jobs_settled')
    const unknownOrReverted = preparedDuring(() => store.list({ statuses: ['unknown', 'reverted'], limit: 49 }))
    expect(planOf(unknownOrReverted[0]!)).toContain('INDEX jobs_settled')
    const pending = preparedDuring(() => store.count({ statuses: ['pending'] }))
    expect(planOf(pending[0]!)).toContain('INDEX jobs_queue')
  })

  it('the status bar counts open jobs from jobs_queue, and they are right', () => {
    const site = addSite(temp.core)
    for (let i = 0; i < 3; i++) temp.core.jobs.create({ site_id: site.id, description: `job ${i}`, script: '/log info "x"' })
    const [sql] = preparedDuring(() => expect(temp.core.jobStore.countOpen()).toEqual({ pending: 3, in_progress: 0, canceling: 0 }))
    expect(planOf(sql!)).toMatch(/USING COVERING INDEX jobs_queue/)
  })

  it('reconciling reads only running jobs, through jobs_queue', () => {
    // Prepared once, with the claim; reconcileAbandonedJobs runs it.
    const sql = preparedDuring(() => new JobClaimer(temp.core.db)).find((text) => text.includes('lease_owner <> ?'))
    expect(planOf(sql!)).toContain('INDEX jobs_queue')
  })

  it("a batch's progress is counted from the jobs_batch index alone", () => {
    const sqls = preparedDuring(() => new BatchService(temp.core))
    const count = sqls.find((sql) => sql.includes('FROM jobs WHERE batch_id'))!
    expect(planOf(count)).toContain('USING COVERING INDEX jobs_batch')
  })
})
