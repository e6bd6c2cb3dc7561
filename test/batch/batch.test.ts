// Batches: one script to many lab routers, progress events, the concurrency limit, and the canary.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreEvent } from '../../src-main/contract/events'
import { startRuntime, type Runtime } from '../../src-main/core/app/runtime'
import { BatchService } from '../../src-main/core/batch/batch-service'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { nextEvent } from '../support/job-events'
import { openTempCore, type TempCore } from '../support/temp-core'
import { addLabSite } from '../lan/lab-site'

let temp: TempCore
let lab: Lab | undefined
let runtime: Runtime | undefined
beforeEach(() => {
  temp = openTempCore()
})
afterEach(async () => {
  await runtime?.stop()
  runtime = undefined
  await temp.cleanup()
  await lab?.close()
  lab = undefined
})

const batchDone = (temp: TempCore, batchId: string) =>
  nextEvent(
    temp.core.events,
    (event: CoreEvent) => event.type === 'batch.progress' && event.batch_id === batchId && event.done === event.total,
  )

describe('batches', () => {
  it('runs one script on every site within the concurrency limit, with progress and a result per site', async () => {
    lab = await startLab({ routers: 5 })
    const sites = lab.routers.map((router, index) =>
      addLabSite(temp.core, router, index === 2 ? { password: 'wrong' } : {}),
    )
    let running = 0
    let mostRunning = 0
    const progress: number[] = []
    temp.core.events.subscribe((event) => {
      if (event.type === 'job.changed' && event.job.batch_id) {
        if (event.from === 'pending' && event.job.status === 'in_progress') mostRunning = Math.max(mostRunning, ++running)
        if (event.from === 'in_progress' && event.job.status !== 'in_progress') running--
      }
      if (event.type === 'batch.progress') progress.push(event.done)
    })
    runtime = startRuntime(temp.core, { concurrency: 2, probeIntervalS: 0 })
    const { batch_id, jobs } = runtime.batches.create({
      site_ids: sites.map((site) => site.id),
      description: 'set the ntp comment',
      script: '/system identity set name=batched\n',
    })
    expect(jobs).toHaveLength(5)
    const last = await batchDone(temp, batch_id)
    expect(last).toMatchObject({ total: 5, done: 5, failed: 1 })
    expect(progress).toEqual([1, 2, 3, 4, 5])
    expect(mostRunning).toBeLessThanOrEqual(2)
    const summary = runtime.batches.get(batch_id)
    expect(summary.jobs.map((job) => job.status)).toEqual(['completed', 'completed', 'failed', 'completed', 'completed'])
    expect(lab.routers.filter((router) => router.router.identity === 'batched')).toHaveLength(4)
  })

  it('stop at first failure: the first failed job cancels the jobs that have not started', async () => {
    lab = await startLab({ routers: 4 })
    const sites = lab.routers.map((router, index) =>
      addLabSite(temp.core, router, index === 0 ? { password: 'wrong' } : {}),
    )
    runtime = startRuntime(temp.core, { concurrency: 1, probeIntervalS: 0 })
    const { batch_id } = runtime.batches.create({
      site_ids: sites.map((site) => site.id),
      description: 'canary rollout',
      script: '/system identity set name=rolled-out\n',
      stop_on_first_failure: true,
    })
    const last = await batchDone(temp, batch_id)
    expect(last).toMatchObject({ total: 4, done: 4, failed: 1 })
    const summary = runtime.batches.get(batch_id)
    expect(summary.jobs.map((job) => job.status)).toEqual(['failed', 'canceled', 'canceled', 'canceled'])
    const [failed, ...canceled] = summary.jobs
    for (const job of canceled) {
      expect(job.error).toMatchObject({
        category: 'canceled',
        message: `canceled because job ${failed!.token} of the batch (${sites[0]!.name}) failed and the batch stops at its first failure: nothing ran on this router`,
      })
    }
    expect(summary.stopped_by_job_id).toBe(summary.jobs[0]!.id)
    expect(lab.routers.some((router) => router.router.identity === 'rolled-out')).toBe(false)
  })

  it('counts progress right when a removed site took one of the batch jobs along', async () => {
    lab = await startLab({ routers: 3 })
    const sites = lab.routers.map((router) => addLabSite(temp.core, router))
    const { batch_id, jobs } = new BatchService(temp.core).create({
      site_ids: sites.map((site) => site.id),
      description: 'a gap in the batch',
      script: '/system identity set name=gapped\n',
    })
    // The middle job goes, leaving the batch's jobs with a hole between the other two.
    temp.core.jobs.cancel(jobs[1]!.id)
    temp.core.removeSite(sites[1]!.id, { purge: true })
    const progress: Array<{ done: number; total: number; failed: number }> = []
    temp.core.events.subscribe((event) => {
      if (event.type === 'batch.progress') progress.push({ done: event.done, total: event.total, failed: event.failed })
    })
    runtime = startRuntime(temp.core, { concurrency: 1, probeIntervalS: 0 })
    await batchDone(temp, batch_id)
    expect(progress).toEqual([
      { done: 1, total: 2, failed: 0 },
      { done: 2, total: 2, failed: 0 },
    ])
  })

  it('refuses a batch that names a site twice or an unknown site', async () => {
    lab = await startLab({ routers: 1 })
    const site = addLabSite(temp.core, lab.routers[0]!)
    runtime = startRuntime(temp.core, { probeIntervalS: 0 })
    const input = { description: 'twice', script: ':put 1\n' }
    expect(() => runtime!.batches.create({ ...input, site_ids: [site.id, site.id] })).toThrow(/listed twice/)
    expect(() => runtime!.batches.create({ ...input, site_ids: ['7c7c1e4e-1918-4918-8a18-1e1818181818'] })).toThrow()
    expect(() => runtime!.batches.create({ ...input, site_ids: [] })).toThrow(/at least one site/)
  })

  it('a batch refused for one of its jobs announces and stores none of them', () => {
    const inCloud = temp.core.addSite({ name: 'in-cloud', host: '10.0.0.1', username: 'admin', password: 'pw', cloud_site_id: '5a5a1e4e-1918-4918-8a18-1e1818181818' })
    const lanOnly = temp.core.addSite({ name: 'lan-only', host: '10.0.0.2', username: 'admin', password: 'pw' })
    const events: CoreEvent[] = []
    temp.core.events.subscribe((event) => events.push(event))
    expect(() =>
      new BatchService(temp.core).create({ site_ids: [inCloud.id, lanOnly.id], description: 'via the cloud', script: ':put 1\n', route: 'cloud' }),
    ).toThrow(/site "lan-only" has no cloud site id/)
    expect(events.filter((event) => event.type === 'job.created')).toEqual([])
    expect(temp.core.jobStore.count()).toBe(0)
    expect(temp.core.db.prepare('SELECT count(*) AS n FROM batches').get()).toEqual({ n: 0 })
  })
})
