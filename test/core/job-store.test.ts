import { existsSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreEvent } from '../../src-main/contract/events'
import { FieldjobsError } from '../../src-main/core/errors'
import { addSite, openTempCore, type TempCore, validJob } from '../support/temp-core'

let temp: TempCore
beforeEach(() => {
  temp = openTempCore()
})
afterEach(() => temp.cleanup())

describe('job store', () => {
  it('stores every field of the cloud Job schema plus the product fields', () => {
    const site = addSite(temp.core)
    const { job, created } = temp.core.jobs.create(validJob(site.id, { should_backup: true }))
    expect(created).toBe(true)
    expect(job).toMatchObject({
      site_id: site.id,
      description: 'set the identity',
      express_execute: false,
      needs_acknowledgement: true,
      should_backup: true,
      associated_backup: null,
      started_at: null,
      completed_at: null,
      failed_at: null,
      log_url: null,
      status: 'pending',
      route: 'auto',
      ran_route: null,
      attempts: 0,
      error: null,
      sync_state: 'local',
      cloud_job_id: null,
    })
    expect(job.token).toMatch(/^[A-Za-z0-9]{10}$/)
    expect(job.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(job.idempotency_key).toMatch(/^[0-9a-f-]{36}$/)
    expect(new Date(job.created_at).toISOString()).toBe(job.created_at)
    expect(temp.core.jobStore.find(job.token).id).toBe(job.id)
  })

  it('announces and returns a new job exactly as it is stored, for every kind of job', () => {
    // create() builds the new Job from what it inserted instead of reading the row back: any column
    // it forgets, or a default it assumes wrongly, shows here as a difference from the stored row.
    const site = addSite(temp.core, 'office', { cloud_site_id: randomUUID() })
    const announced: CoreEvent[] = []
    temp.core.events.subscribe((event) => announced.push(event))
    const store = temp.core.jobStore
    const kinds = [
      temp.core.jobs.create(validJob(site.id)).job,
      temp.core.jobs.create(validJob(site.id, { route: 'cloud', express_execute: true, should_backup: true, needs_acknowledgement: false })).job,
      temp.core.jobs.create(validJob(site.id, { not_before: '2099-12-06T22:00:00+01:00', revert_after_s: 120, batch_id: 'b-1' })).job,
      store.create(
        { ...temp.core.jobs.check(validJob(site.id, { revert_after_s: null })).input },
        { template: '/system identity set name={{site.name}}', template_values: { 'site.name': 'r1' }, batch_concurrency: 2, held_for_canary: true },
      ).job,
    ]
    for (const job of kinds) expect(job).toEqual(store.get(job.id))
    const created = announced.flatMap((event) => (event.type === 'job.created' ? [event.job] : []))
    expect(created).toEqual(kinds)
    expect(kinds[2]).toMatchObject({ not_before: '2099-12-06T21:00:00.000Z', next_attempt_at: '2099-12-06T21:00:00.000Z', revert_after_s: 120 })
    expect(kinds[3]).toMatchObject({ waiting_for_canary: true, next_attempt_at: null, template_values: { 'site.name': 'r1' } })
  })

  it('gives every job a unique token', () => {
    const site = addSite(temp.core)
    const tokens = new Set<string>()
    for (let i = 0; i < 500; i++) tokens.add(temp.core.jobs.create(validJob(site.id)).job.token)
    expect(tokens.size).toBe(500)
  })

  it('an existing idempotency key with the same payload returns the existing job', () => {
    const site = addSite(temp.core)
    const key = randomUUID()
    const first = temp.core.jobs.create(validJob(site.id, { idempotency_key: key }))
    const again = temp.core.jobs.create(validJob(site.id, { idempotency_key: key }))
    expect(again.created).toBe(false)
    expect(again.job.id).toBe(first.job.id)
    expect(temp.core.jobStore.count()).toBe(1)
  })

  it('an existing idempotency key with a different payload is refused and changes nothing', () => {
    const site = addSite(temp.core)
    const key = randomUUID()
    const first = temp.core.jobs.create(validJob(site.id, { idempotency_key: key }))
    for (const different of [{ script: '/system reboot' }, { should_backup: true }, { description: 'another' }]) {
      const attempt = () => temp.core.jobs.create(validJob(site.id, { idempotency_key: key, ...different }))
      expect(attempt).toThrow(FieldjobsError)
      expect(attempt).toThrow(/already used for job .* with a different payload/)
    }
    expect(temp.core.jobStore.count()).toBe(1)
    expect(temp.core.jobStore.get(first.job.id)?.script).toBe(first.job.script)
  })

  it('refuses a job for an unknown site with a clear error', () => {
    expect(() => temp.core.jobs.create(validJob(randomUUID()))).toThrow(/no site with id/)
  })

  it('refuses a cloud-routed job for a site without a cloud site id', () => {
    const site = addSite(temp.core)
    expect(() => temp.core.jobs.create(validJob(site.id, { route: 'cloud' }))).toThrow(/no cloud site id/)
  })

  it('lists newest first, filters by site, status, route and search, and pages by seq', () => {
    const office = addSite(temp.core, 'office')
    const tower = addSite(temp.core, 'tower')
    const jobs = []
    for (let i = 0; i < 10; i++) {
      jobs.push(
        temp.core.jobs.create(
          validJob(i % 2 ? office.id : tower.id, { description: `job number ${i}`, script: `/log info "n${i}"` }),
        ).job,
      )
    }
    temp.core.jobs.cancel(jobs[3]!.id)
    const all = temp.core.jobStore.list()
    expect(all.map((job) => job.seq)).toEqual([...jobs].reverse().map((job) => job.seq))
    expect(temp.core.jobStore.list({ site_id: office.id }).every((job) => job.site_id === office.id)).toBe(true)
    expect(temp.core.jobStore.list({ statuses: ['canceled'] }).map((job) => job.id)).toEqual([jobs[3]!.id])
    expect(temp.core.jobStore.list({ search: 'number 7' }).map((job) => job.id)).toEqual([jobs[7]!.id])
    expect(temp.core.jobStore.list({ search: '"n5"' }).map((job) => job.id)).toEqual([jobs[5]!.id])
    expect(temp.core.jobStore.list({ search: jobs[2]!.token }).map((job) => job.id)).toEqual([jobs[2]!.id])
    expect(temp.core.jobStore.list({ search: '100%' })).toEqual([])
    const page = temp.core.jobStore.list({ before_seq: jobs[5]!.seq, limit: 2 })
    expect(page.map((job) => job.id)).toEqual([jobs[4]!.id, jobs[3]!.id])
    expect(temp.core.jobStore.count({ site_id: office.id })).toBe(5)
  })

  it('publishes job.created and job.changed events', () => {
    const site = addSite(temp.core)
    const events: CoreEvent[] = []
    temp.core.events.subscribe((event) => events.push(event))
    const { job } = temp.core.jobs.create(validJob(site.id))
    temp.core.jobs.cancel(job.token)
    expect(events.map((event) => event.type)).toEqual(['job.created', 'job.changed'])
    expect(events[1]).toMatchObject({ type: 'job.changed', from: 'pending', job: { status: 'canceled' } })
  })

  it('update writes only while the lease owner holds the job, refuses an unknown job, and announces unless quiet', () => {
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id))
    temp.core.jobStore.transition(job.id, 'in_progress', { lease_owner: 'worker-a' })
    const events: CoreEvent[] = []
    temp.core.events.subscribe((event) => events.push(event))
    temp.core.jobStore.update(job.id, { output: 'from the lost worker' }, { leaseOwner: 'worker-b' })
    expect(temp.core.jobStore.get(job.id)?.output).toBeNull()
    temp.core.jobStore.update(job.id, { output: 'from the holder' }, { leaseOwner: 'worker-a' })
    temp.core.jobStore.update(job.id, { next_sync_at: 5 }, { quiet: true })
    expect(temp.core.jobStore.get(job.id)?.output).toBe('from the holder')
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'job.changed', from: 'in_progress', job: { status: 'in_progress', output: 'from the holder' } })
    for (const quiet of [true, false]) {
      expect(() => temp.core.jobStore.update('no-such-job', { output: 'x' }, { quiet })).toThrow(/no job with id no-such-job/)
      expect(() => temp.core.jobStore.update('no-such-job', { output: 'x' }, { quiet, leaseOwner: 'worker-a' })).toThrow(/no job with id/)
    }
  })

  it('refuses a status change the state machine does not allow', () => {
    const site = addSite(temp.core)
    const { job } = temp.core.jobs.create(validJob(site.id))
    temp.core.jobs.cancel(job.id)
    expect(() => temp.core.jobStore.transition(job.id, 'in_progress')).toThrow(/a canceled job cannot become in progress/)
    expect(temp.core.jobStore.get(job.id)?.status).toBe('canceled')
  })

  it('keeps the site password out of the database', () => {
    const site = temp.core.addSite({ name: 'x', host: '10.0.0.1', username: 'admin', password: 'Sup3r-S3cret-Pa55' })
    expect(JSON.stringify(temp.core.db.prepare('SELECT * FROM sites').all())).not.toContain('Sup3r-S3cret-Pa55')
    expect(temp.core.sitePassword(site)).toBe('Sup3r-S3cret-Pa55')
  })

  it('refuses to remove a site with unfinished jobs', () => {
    const site = addSite(temp.core)
    temp.core.jobs.create(validJob(site.id))
    expect(() => temp.core.removeSite(site.name)).toThrow('site "office" has 1 unfinished job: cancel it or let it finish before removing the site')
    temp.core.jobs.create(validJob(site.id))
    expect(() => temp.core.removeSite(site.name)).toThrow('has 2 unfinished jobs: cancel them or let them finish')
    expect(temp.core.siteStore.list()).toHaveLength(1)
  })

  it('keeps a site with backups unless purged; a purge deletes their rows and files', async () => {
    const site = addSite(temp.core)
    const path = await temp.core.backups.save(site.id, '/system identity\nset name=x\n', Date.now())
    expect(() => temp.core.removeSite(site.name)).toThrow(/has 0 jobs and 1 backup, the record of what was done/)
    expect(temp.core.backups.read(path).intact).toBe(true)
    expect(temp.core.removeSite(site.name, { purge: true })).toEqual({ jobs: 0, backups: 1 })
    expect(temp.core.backups.list()).toEqual([])
    expect(existsSync(temp.core.backups.file(path))).toBe(false)
  })
})
