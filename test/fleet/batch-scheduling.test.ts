// Maintenance windows, canaries and a batch's own concurrency, at the queue's claim: what may start when.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BatchService } from '../../src-main/core/batch/batch-service'
import { JobClaimer } from '../../src-main/core/queue/claim'
import { addSite, ManualClock, openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
let clock: ManualClock
beforeEach(() => {
  clock = new ManualClock()
  temp = openTempCore({ clock })
})
afterEach(() => temp.cleanup())

const claimAll = (claimer: JobClaimer) => {
  const claimed = []
  for (let job = claimer.claim('w', clock.now(), 30_000); job; job = claimer.claim('w', clock.now(), 30_000)) claimed.push(job)
  return claimed
}

describe('a job with not_before', () => {
  it('waits, pending, until its time, keeps it over a restart, and then is claimed', async () => {
    const site = addSite(temp.core, 'office')
    const start = new Date(clock.now() + 3_600_000).toISOString()
    const { job } = temp.core.jobs.create({ site_id: site.id, description: 'at night', script: ':put 1', route: 'lan', not_before: start })
    expect(job.not_before).toBe(start)
    const claimer = new JobClaimer(temp.core.db)
    expect(claimer.claim('w', clock.now(), 30_000)).toBeUndefined()
    // The engine sleeps until then instead of polling.
    expect(claimer.nextDueAt(clock.now())).toBe(Date.parse(start))

    await temp.core.close(100)
    temp = openTempCore({ clock, dataDir: temp.dataDir })
    const reopened = new JobClaimer(temp.core.db)
    expect(temp.core.jobStore.find(job.token)).toMatchObject({ status: 'pending', not_before: start })
    clock.advance(3_600_000)
    expect(reopened.claim('w', clock.now(), 30_000)?.id).toBe(job.id)
  })

  it('is refused on the cloud route, which has no start time', () => {
    const site = addSite(temp.core, 'office', { cloud_site_id: '7c7c1e4e-1918-4918-8a18-1e1818181818' })
    expect(() =>
      temp.core.jobs.create({ site_id: site.id, description: 'at night', script: ':put 1', route: 'cloud', not_before: new Date(clock.now() + 60_000).toISOString() }),
    ).toThrow(/cloud job cannot wait for a maintenance window/)
    expect(temp.core.jobStore.count()).toBe(0)
  })
})

describe('a maintenance window that has already begun', () => {
  const job = (siteId: string, notBeforeMs: number, extra: Record<string, unknown> = {}) => ({
    site_id: siteId, description: 'at night', script: ':put 1', route: 'lan', not_before: new Date(notBeforeMs).toISOString(), ...extra,
  })

  it('is refused, naming the time and what to give instead, and nothing is stored', () => {
    const site = addSite(temp.core, 'office')
    const past = clock.now() - 61_000
    let refused: unknown
    try {
      temp.core.jobs.create(job(site.id, past))
    } catch (error) {
      refused = error
    }
    expect(refused).toMatchObject({ code: 'validation', issues: [{ path: 'not_before' }] })
    expect((refused as Error).message).toBe(
      `not_before: ${new Date(past).toISOString()} has passed (it is ${new Date(clock.now()).toISOString()} now), so the job would start at once: ` +
        'give a time still to come, or leave it out to run the job as soon as possible',
    )
    expect(temp.core.jobStore.count()).toBe(0)
  })

  it('is taken up to a minute late (a script that passes "now"), and the job may start at once', () => {
    const site = addSite(temp.core, 'office')
    const { job: created } = temp.core.jobs.create(job(site.id, clock.now() - 60_000))
    expect(new JobClaimer(temp.core.db).claim('w', clock.now(), 30_000)?.id).toBe(created.id)
  })

  it('does not refuse a create repeated with its idempotency key after the window opened: it returns the job', () => {
    const site = addSite(temp.core, 'office')
    const input = job(site.id, clock.now() + 3_600_000, { idempotency_key: randomUUID() })
    const first = temp.core.jobs.create(input)
    clock.advance(2 * 3_600_000)
    expect(temp.core.jobs.create(input)).toEqual({ job: first.job, created: false })
    expect(() => temp.core.jobs.create({ ...input, idempotency_key: randomUUID() })).toThrow(/has passed/)
  })

  it('refuses a whole batch, creating none of its jobs', () => {
    const sites = [addSite(temp.core, 'a').id, addSite(temp.core, 'b').id]
    const service = new BatchService(temp.core)
    expect(() =>
      service.create({ description: 'tonight', script: ':put 1', route: 'lan', site_ids: sites, not_before: new Date(clock.now() - 3_600_000).toISOString() }),
    ).toThrow(/not_before: .* has passed/)
    expect(temp.core.jobStore.count()).toBe(0)
  })
})

describe('a batch with --concurrency', () => {
  it('runs at most that many of its jobs at once, on different sites', () => {
    const siteIds = ['a', 'b', 'c', 'd'].map((name) => addSite(temp.core, name).id)
    new BatchService(temp.core).create({ description: 'two at a time', script: ':put 1', route: 'lan', site_ids: siteIds, concurrency: 2 })
    const claimer = new JobClaimer(temp.core.db)
    const first = claimAll(claimer)
    expect(first).toHaveLength(2)
    temp.core.jobStore.transition(first[0]!.id, 'completed', { completed_at: new Date(clock.now()).toISOString() }, { leaseOwner: 'w' })
    expect(claimAll(claimer)).toHaveLength(1)
  })
})

describe('a batch with --canary', () => {
  const create = (canary: number) => {
    const siteIds = ['a', 'b', 'c'].map((name) => addSite(temp.core, name).id)
    const service = new BatchService(temp.core)
    const unwatch = service.watch()
    const batch = service.create({ description: 'canary', script: ':put 1', route: 'lan', site_ids: siteIds, canary })
    return { service, unwatch, batch, claimer: new JobClaimer(temp.core.db) }
  }

  it('holds the rest until the canary succeeds, then releases them', () => {
    const { batch, claimer, unwatch } = create(1)
    expect(batch.jobs.map((job) => job.waiting_for_canary)).toEqual([false, true, true])
    const [canary, ...none] = claimAll(claimer)
    expect(none).toEqual([])
    expect(canary!.id).toBe(batch.jobs[0]!.id)
    temp.core.jobStore.transition(canary!.id, 'completed', { completed_at: new Date(clock.now()).toISOString() }, { leaseOwner: 'w' })
    expect(claimAll(claimer).map((job) => job.id)).toEqual([batch.jobs[1]!.id, batch.jobs[2]!.id])
    unwatch()
  })

  it('cancels the rest when a canary job fails', () => {
    const { batch, claimer, service, unwatch } = create(1)
    const [canary] = claimAll(claimer)
    temp.core.jobStore.transition(canary!.id, 'failed', { failed_at: new Date(clock.now()).toISOString() }, { leaseOwner: 'w' })
    expect(claimAll(claimer)).toEqual([])
    expect(service.get(batch.batch_id).jobs.map((job) => job.status)).toEqual(['failed', 'canceled', 'canceled'])
    expect(service.get(batch.batch_id).stopped_at).not.toBeNull()
    unwatch()
  })

  it('refuses a canary as large as the batch', () => {
    expect(() => create(3)).toThrow(/leave none to follow/)
  })
})
