// The outbox against the fake: idempotent creates under "commit then drop", state from timestamps,
// cancel 204/404/429, offline then back online, jobs the cloud refuses, and the status it reports.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CoreEvent } from '../../src-main/contract/events'
import { jobError } from '../../src-main/contract/job-schema'
import { statusExplanation } from '../../src-main/cli/format'
import { readAppStatus } from '../../src-main/core/cloud/app-status'
import { startCloudSync } from '../../src-main/core/cloud/start-cloud-sync'
import { CLOUD_TOKEN_REF } from '../../src-main/core/settings/settings-store'
import { untilJob, untilSyncStatus, useCloud } from './harness'

const cloud = useCloud()

async function setup(fakeOptions: Parameters<typeof cloud.fake>[0] = {}) {
  const fake = await cloud.fake(fakeOptions)
  const core = cloud.core()
  const cloudSiteId = randomUUID()
  const site = cloud.site(core, cloudSiteId)
  const client = cloud.client(fake)
  return { fake, core, site, cloudSiteId, client }
}

describe('outbox', () => {
  it('creates each job once with its own key, even when answers are dropped after commit', async () => {
    const { fake, core, site, client, cloudSiteId } = await setup()
    const jobs = Array.from({ length: 12 }, (_, i) => cloud.cloudJob(core, site.id, { description: `job number ${i}` }))
    fake.dropAfterCommitNext(3)
    fake.failNext(1, 500)
    const engine = cloud.engine(core, client)
    engine.start()
    const synced = await Promise.all(jobs.map((job) => untilJob(core, job.id, (j) => j.cloud_job_id !== null)))
    expect(fake.counters.dropsAfterCommit).toBe(3)
    expect(fake.duplicates()).toEqual([])
    expect(fake.jobs(cloudSiteId)).toHaveLength(12)
    for (const job of synced) {
      expect(job.sync_state).toBe('synced')
      expect(job.synced_at).not.toBeNull()
      expect(fake.counters.createdByKey[job.idempotency_key]).toBe(1)
      expect(fake.jobByKey(job.idempotency_key)?.id).toBe(job.cloud_job_id)
      expect(job.log_url).toContain(fake.jobByKey(job.idempotency_key)?.token)
    }
  })

  it('a job handed off by the queue (auto route, router unreachable) is synced too', async () => {
    const { fake, core, site, client } = await setup()
    const engine = cloud.engine(core, client)
    engine.start()
    const job = core.jobs.create({ site_id: site.id, description: 'auto job', script: '/system identity print' }).job
    expect(job.sync_state).toBe('local')
    // What the queue engine writes when the LAN does not answer and the site has a cloud id.
    core.jobStore.transition(job.id, 'pending', {
      sync_state: 'outbox',
      next_sync_at: 0,
      error: jobError('connection refused', 'connection'),
    })
    const synced = await untilJob(core, job.id, (j) => j.sync_state === 'synced' && j.cloud_job_id !== null)
    expect(synced.error).toBeNull()
    expect(fake.counters.jobsCreated).toBe(1)
  })

  it('a job the cloud refuses (400) fails with the cloud\'s reason, and is not retried', async () => {
    const { fake, core, site, client } = await setup()
    // Valid locally, refused by the cloud (a rule the cloud has and we do not, say).
    const job = cloud.cloudJob(core, site.id)
    fake.failNext(1, 400)
    const engine = cloud.engine(core, client)
    engine.start()
    const failed = await untilJob(core, job.id, (j) => j.status === 'failed')
    expect(failed.error).toMatchObject({ category: 'cloud' })
    expect(failed.error?.message).toMatch(/the cloud refused the job \(400/)
    expect(failed.sync_state).toBe('done')
    await engine.whenIdle()
    expect(fake.counters.requests).toBe(1)
  })

  it('a job canceled while still in the outbox is never sent', async () => {
    const { fake, core, site, client } = await setup()
    const job = cloud.cloudJob(core, site.id)
    expect(core.jobs.cancel(job.id).outcome).toBe('canceled')
    const engine = cloud.engine(core, client)
    engine.start()
    await engine.whenIdle()
    expect(fake.counters.requests).toBe(0)
  })
})

describe('state from timestamps', () => {
  it('started_at -> in_progress, completed_at -> completed, with ran_route cloud', async () => {
    const { fake, core, site, client } = await setup()
    const job = cloud.cloudJob(core, site.id, { should_backup: true })
    const engine = cloud.engine(core, client, { pollIntervalMs: 20 })
    engine.start()
    const synced = await untilJob(core, job.id, (j) => j.cloud_job_id !== null)
    fake.deviceControl.start(synced.cloud_job_id as string)
    const running = await untilJob(core, job.id, (j) => j.status === 'in_progress')
    expect(running.ran_route).toBe('cloud')
    expect(running.started_at).not.toBeNull()
    fake.deviceControl.complete(synced.cloud_job_id as string)
    const done = await untilJob(core, job.id, (j) => j.status === 'completed')
    expect(done).toMatchObject({ ran_route: 'cloud', sync_state: 'done' })
    expect(done.associated_backup).toMatch(new RegExp(`^${synced.cloud_job_id === null ? '' : fake.jobs()[0]?.site_id}/\\d+\\.rsc$`))
  })

  it('failed_at -> failed, with the log link in the error', async () => {
    const { fake, core, site, client } = await setup()
    const job = cloud.cloudJob(core, site.id)
    const engine = cloud.engine(core, client, { pollIntervalMs: 20 })
    engine.start()
    const synced = await untilJob(core, job.id, (j) => j.cloud_job_id !== null)
    fake.deviceControl.fail(synced.cloud_job_id as string)
    const failed = await untilJob(core, job.id, (j) => j.status === 'failed')
    expect(failed.error?.message).toMatch(/reported a failure/)
    expect(failed.error?.message).toContain('logs?group=sites')
    expect(failed.failed_at).not.toBeNull()
  })

  it('a job finished between two polls goes straight from pending to completed; without ack, completed means delivered', async () => {
    const { fake, core, site, client } = await setup()
    const job = cloud.cloudJob(core, site.id, { needs_acknowledgement: false })
    const engine = cloud.engine(core, client, { pollIntervalMs: 20 })
    engine.start()
    const synced = await untilJob(core, job.id, (j) => j.cloud_job_id !== null)
    const seen: string[] = []
    core.events.subscribe((event: CoreEvent) => {
      if (event.type === 'job.changed' && event.job.id === job.id) seen.push(event.job.status)
    })
    fake.deviceControl.complete(synced.cloud_job_id as string)
    const done = await untilJob(core, job.id, (j) => j.status === 'completed')
    expect(seen).not.toContain('in_progress')
    expect(statusExplanation(done)).toMatch(/completed means delivered/)
  })

  it('a job deleted on the cloud behind our back is canceled here, with the reason', async () => {
    const { fake, core, site, client } = await setup()
    const job = cloud.cloudJob(core, site.id)
    const engine = cloud.engine(core, client, { pollIntervalMs: 20 })
    engine.start()
    const synced = await untilJob(core, job.id, (j) => j.cloud_job_id !== null)
    await cloud.client(fake).cancelJob(fake.jobs()[0]?.site_id as string, synced.cloud_job_id as string)
    const canceled = await untilJob(core, job.id, (j) => j.status === 'canceled')
    expect(canceled.error?.message).toMatch(/no longer has this job/)
  })
})

describe('cancel', () => {
  async function syncedJob() {
    const context = await setup()
    const job = cloud.cloudJob(context.core, context.site.id)
    const engine = cloud.engine(context.core, context.client)
    engine.start()
    const synced = await untilJob(context.core, job.id, (j) => j.cloud_job_id !== null)
    return { ...context, job: synced, engine }
  }

  it('204: a pending cloud job is deleted there and canceled here', async () => {
    const { fake, core, job } = await syncedJob()
    expect(core.jobs.cancel(job.token).outcome).toBe('canceling')
    const canceled = await untilJob(core, job.id, (j) => j.status === 'canceled')
    expect(canceled.sync_state).toBe('done')
    expect(fake.jobs()).toHaveLength(0)
    expect(fake.counters.byMethod.DELETE).toBe(1)
  })

  it('404: a job the cloud no longer has is canceled', async () => {
    const { fake, core, job, cloudSiteId } = await syncedJob()
    await cloud.client(fake).cancelJob(cloudSiteId, job.cloud_job_id as string)
    core.jobs.cancel(job.id)
    const canceled = await untilJob(core, job.id, (j) => j.status === 'canceled')
    expect(canceled.canceled_at).not.toBeNull()
  })

  it('429 job_already_started: the cancel is refused, the job runs on, and says why', async () => {
    const { fake, core, job } = await syncedJob()
    fake.deviceControl.start(job.cloud_job_id as string)
    core.jobs.cancel(job.id)
    const refused = await untilJob(core, job.id, (j) => j.cancel_refused_reason !== null)
    expect(refused.status).toBe('in_progress')
    expect(refused.cancel_refused_reason).toMatch(/already started/)
    expect(statusExplanation(refused)).toMatch(/cancel refused/)
    expect(fake.counters.rateLimited).toBe(0)
    expect(fake.jobs()).toHaveLength(1)
  })

  it('a cancel asked while the create is in flight still reaches the cloud', async () => {
    const { fake, core, site, client } = await setup()
    const job = cloud.cloudJob(core, site.id)
    fake.slowNext(200)
    const engine = cloud.engine(core, client)
    const received = new Promise((resolve) => fake.once('request', resolve))
    engine.start()
    // The create has reached the cloud (which answers in 200 ms): the job is marked synced without
    // a cloud id, so the cancel cannot be local; it waits for the create's answer, then deletes.
    await received
    expect(core.jobStore.getRow(job.id)).toMatchObject({ sync_state: 'synced', cloud_job_id: null })
    expect(core.jobs.cancel(job.id).outcome).toBe('canceling')
    const canceled = await untilJob(core, job.id, (j) => j.status === 'canceled')
    expect(canceled.cloud_job_id).not.toBeNull()
    expect(fake.jobs()).toHaveLength(0)
  })
})

describe('offline', () => {
  it('waits while the cloud is unreachable and resumes by itself when it answers again', async () => {
    const { fake, core, site, client } = await setup()
    await fake.goOffline()
    const engine = cloud.engine(core, cloud.client(fake, { retry: { baseMs: 2, capMs: 5, maxAttempts: 2 } }))
    void client
    const offline = untilSyncStatus(core, (event) => !event.online)
    engine.start()
    const jobs = [cloud.cloudJob(core, site.id), cloud.cloudJob(core, site.id, { description: 'second job' })]
    const status = await offline
    expect(status.last_error).toMatch(/connection refused/)
    expect(status.waiting).toBe(2)
    // Refused connections prove nothing was sent: the jobs are back in the outbox, cancel stays local.
    await engine.whenIdle()
    expect(core.jobStore.get(jobs[0]!.id)?.sync_state).toBe('outbox')
    const online = untilSyncStatus(core, (event) => event.online === true && event.last_error === null)
    await fake.goOnline()
    await online
    await Promise.all(jobs.map((job) => untilJob(core, job.id, (j) => j.cloud_job_id !== null)))
    expect(fake.counters.jobsCreated).toBe(2)
    expect(engine.status()).toMatchObject({ online: true, waiting: 0, last_error: null })
  })

  it('a job canceled while offline after a failed send is canceled locally', async () => {
    const { fake, core, site } = await setup()
    await fake.goOffline()
    const engine = cloud.engine(core, cloud.client(fake, { retry: { baseMs: 2, capMs: 5, maxAttempts: 1 } }))
    const job = cloud.cloudJob(core, site.id)
    const offline = untilSyncStatus(core, (event) => !event.online)
    engine.start()
    await offline
    await engine.whenIdle()
    expect(core.jobs.cancel(job.id).outcome).toBe('canceled')
  })
})

describe('sites', () => {
  it("a site's cloud id changed by another process (the CLI beside the app) is the one the next job goes to", async () => {
    const fake = await cloud.fake()
    const dir = cloud.dataDir()
    const app = cloud.core(dir)
    const cli = cloud.core(dir)
    const before = randomUUID()
    const site = cloud.site(app, before)
    const engine = cloud.engine(app, cloud.client(fake))
    const first = cloud.cloudJob(app, site.id)
    expect((await engine.runOnce()).created).toBe(1)
    expect(fake.jobByKey(first.idempotency_key)).toBeDefined()
    expect(fake.jobs(before)).toHaveLength(1)

    const after = randomUUID()
    cli.updateSite({ id: site.id, cloud_site_id: after })
    const second = cloud.cloudJob(app, site.id)
    expect((await engine.runOnce()).created).toBe(1)
    expect(fake.jobs(after).map((job) => job.id)).toEqual([fake.jobByKey(second.idempotency_key)?.id])
    expect(fake.jobs(before)).toHaveLength(1)
  })
})

describe('startCloudSync and status:get', () => {
  it('reads the token from the secret store, env overrides, and readAppStatus reports the cloud', async () => {
    const fake = await cloud.fake()
    const core = cloud.core()
    const site = cloud.site(core)
    const unconfigured = startCloudSync(core, { env: {} })
    expect(unconfigured.configured).toBe(false)
    expect(readAppStatus(core, unconfigured)).toMatchObject({ cloud_configured: false, cloud_online: null, last_sync_error: null })
    core.secrets.set(CLOUD_TOKEN_REF, fake.token)
    core.settings.update({ cloud_api_url: 'http://127.0.0.1:1' })
    const job = cloud.cloudJob(core, site.id)
    expect(readAppStatus(core)).toMatchObject({ cloud_configured: true, waiting_to_sync: 1, pending: 1 })
    const sync = startCloudSync(core, { env: { FIELDJOBS_API_URL: fake.url }, rateLimit: null })
    try {
      expect(sync.config).toMatchObject({ urlSource: 'environment', tokenSource: 'secret store' })
      expect(sync.config.tokenHint).toBe(`****${fake.token.slice(-4)}`)
      await untilJob(core, job.id, (j) => j.cloud_job_id !== null)
      await sync.engine?.whenIdle()
      expect(readAppStatus(core, sync)).toEqual({
        cloud_online: true,
        cloud_configured: true,
        waiting_to_sync: 0,
        running: 0,
        pending: 1,
        last_sync_error: null,
      })
      // The cancel port is registered: a cancel reaches the cloud.
      core.jobs.cancel(job.id)
      await untilJob(core, job.id, (j) => j.status === 'canceled')
    } finally {
      await sync.stop()
    }
  })

  it('never puts the token in events or job errors', async () => {
    const { fake, core, site } = await setup()
    const events: string[] = []
    core.events.subscribe((event) => events.push(JSON.stringify(event)))
    const wrong = `sdx_bad_${randomUUID()}`
    const engine = cloud.engine(core, cloud.client({ url: fake.url, token: wrong }))
    cloud.cloudJob(core, site.id)
    const refused = untilSyncStatus(core, (event) => event.last_error !== null)
    engine.start()
    expect((await refused).last_error).toMatch(/401/)
    const all = events.join('\n') + JSON.stringify(core.jobStore.list())
    expect(all).not.toContain(wrong)
    expect(all).not.toContain(fake.token)
  })
})
