// Saved settings take effect in a running app or `fieldjobs run` at once, not at its next start:
// the queue's concurrency, the health probe's interval, scheduled backups and the cloud URL and
// token. Saved in this process (the Settings screen) or by another one on the same data folder
// (`fieldjobs settings set` in a second terminal: a second core here, sharing the secret store).
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { startApiRuntime } from '../../src-main/api/api-runtime'
import type { CoreEvent } from '../../src-main/contract/events'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { type Runtime, startRuntime } from '../../src-main/core/app/runtime'
import type { JobExecutor } from '../../src-main/core/queue/executor'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { CloudFake } from '../cloud-fake/cloud-fake'
import { addLabSite } from '../lan/lab-site'
import { nextEvent, untilJob } from '../support/job-events'
import { MemorySecretStore } from '../support/memory-secret-store'
import { addSite, validJob } from '../support/temp-core'
import { useTempDirs } from '../support/temp-dirs'

const closers: Array<() => Promise<unknown> | unknown> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const tempDir = useTempDirs()

/** This process's core and a second one on the same folder and secrets: another process's view. */
function twoCores() {
  const dataDir = tempDir()
  const secrets = new MemorySecretStore()
  const here = FieldjobsCore.open({ dataDir, secrets })
  const elsewhere = FieldjobsCore.open({ dataDir, secrets })
  closers.push(() => here.close(100), () => elsewhere.close(100))
  return { here, elsewhere }
}

function started(runtime: Runtime): Runtime {
  closers.push(() => runtime.stop({ graceMs: 0 }))
  return runtime
}

/** Resolves once `holds` is true, looking every 10 ms; rejects after `timeoutMs`. */
async function until(holds: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!holds()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** An executor that holds every job until released, counting how many it holds at once. */
function heldExecutor() {
  const waiting: Array<() => void> = []
  const executor: JobExecutor = {
    execute: () => new Promise((resolve) => waiting.push(() => resolve({ kind: 'completed', output: '' }))),
  }
  closers.push(() => waiting.splice(0).forEach((release) => release()))
  return { executor, held: () => waiting.length }
}

describe('settings saved while the app runs', () => {
  it('a new concurrency is used at once, saved here or by another process', async () => {
    const { here, elsewhere } = twoCores()
    here.updateSettings({ concurrency: 1 })
    const sites = ['a', 'b', 'c', 'd'].map((name) => addSite(here, name))
    const { executor, held } = heldExecutor()
    const runtime = started(startRuntime(here, { executor, cloud: false, probeIntervalS: 0, otherWritersMs: 20 }))
    for (const site of sites) here.jobs.create(validJob(site.id))
    await until(() => held() === 1)
    expect(runtime.engine.runningCount).toBe(1)

    // `fieldjobs settings set concurrency 2` in another terminal.
    elsewhere.updateSettings({ concurrency: 2 })
    await until(() => held() === 2)
    // The Settings screen in this process.
    const api = createApiHandlers({ core: here, settingsApplied: () => runtime.settingsApplied() })
    await api['settings:update']({ concurrency: 4 })
    await until(() => held() === 4)
    expect(runtime.engine.runningCount).toBe(4)
  })

  it('a value fixed by the caller stays fixed', async () => {
    const { here } = twoCores()
    const sites = ['a', 'b', 'c'].map((name) => addSite(here, name))
    const { executor, held } = heldExecutor()
    const runtime = started(startRuntime(here, { executor, cloud: false, probeIntervalS: 0, concurrency: 1 }))
    for (const site of sites) here.jobs.create(validJob(site.id))
    await until(() => held() === 1)
    here.updateSettings({ concurrency: 3 })
    await runtime.settingsApplied()
    // A claim would have happened in the same turn as the wake; one more event loop turn to be sure.
    await new Promise((resolve) => setImmediate(resolve))
    expect(held()).toBe(1)
  })

  it('turning the health probe on probes the sites now, without a restart', async () => {
    const { here, elsewhere } = twoCores()
    here.updateSettings({ probe_interval_s: 0 })
    const site = addSite(here, 'gone', { api_port: 1 })
    const runtime = started(startRuntime(here, { cloud: false, otherWritersMs: 20 }))
    const probed = nextEvent(here.events, (event) => event.type === 'site.health' && event.site_id === site.id)
    elsewhere.updateSettings({ probe_interval_s: 600 })
    expect(await probed).toMatchObject({ online: false })
    await runtime.settingsApplied()
  })

  it('turning scheduled backups on backs up the sites now, without a restart', async () => {
    const lab: Lab = await startLab({ routers: 1 })
    closers.push(() => lab.close())
    const { here, elsewhere } = twoCores()
    const site = addLabSite(here, lab.routers[0]!)
    started(startRuntime(here, { cloud: false, probeIntervalS: 0, otherWritersMs: 20 }))
    expect(here.backups.list(site.id)).toHaveLength(0)
    elsewhere.updateSettings({ backup_interval_h: 24 })
    await until(() => here.backups.list(site.id).length === 1)
  })

  it('a cloud token saved while the app runs starts the sync with it; removed elsewhere, it stops', async () => {
    const fake = await CloudFake.start()
    closers.push(() => fake.close())
    const { here, elsewhere } = twoCores()
    const site = here.addSite({ name: 'branch', host: '127.0.0.1', username: 'admin', password: 'x', cloud_site_id: randomUUID() })
    const running = startApiRuntime(here, { env: {}, probeIntervalS: 0, cloud: { rateLimit: null }, otherWritersMs: 20 })
    closers.push(() => running.stop())
    const api = createApiHandlers(running.runtime)
    expect((await api['status:get']({})).cloud_configured).toBe(false)
    const job = here.jobs.create({ site_id: site.id, description: 'to the cloud', script: '/log info "x"', route: 'cloud' }).job

    const statuses: CoreEvent[] = []
    closers.push(here.events.subscribe((event) => event.type === 'sync.status' && statuses.push(event)))
    await api['settings:update']({ cloud_api_url: fake.url, cloud_token: fake.token })
    // Answered after the restart: the status read next is the new one.
    expect((await api['status:get']({})).cloud_configured).toBe(true)
    expect(statuses[0]).toMatchObject({ type: 'sync.status', online: null })
    await untilJob(here, job.id, (current) => current.cloud_job_id !== null)
    expect(fake.counters.jobsCreated).toBe(1)

    // `fieldjobs settings set cloud_token --value-env EMPTY` in another terminal.
    elsewhere.updateSettings({ cloud_token: '' })
    await until(() => statuses.some((event, index) => index > 0 && event.type === 'sync.status' && event.online === null))
    await running.runtime.settingsApplied?.()
    expect((await api['status:get']({})).cloud_configured).toBe(false)
  })

  it('another process saving nothing new announces nothing; saving a setting announces it once', async () => {
    const { here, elsewhere } = twoCores()
    const runtime = started(startRuntime(here, { cloud: false, probeIntervalS: 0, otherWritersMs: 20 }))
    const announced: CoreEvent[] = []
    closers.push(here.events.subscribe((event) => event.type === 'settings.changed' && announced.push(event)))
    // A job created elsewhere is a commit elsewhere, but no settings change.
    const site = addSite(elsewhere, 'office')
    elsewhere.jobs.create(validJob(site.id))
    await until(() => here.jobStore.count() === 1)
    expect(announced).toEqual([])
    elsewhere.updateSettings({ default_revert_after_s: 120 })
    await until(() => announced.length === 1)
    expect(announced).toEqual([{ type: 'settings.changed', cloud: false }])
    // This process's own save is announced by its own write, not a second time by the watch.
    here.updateSettings({ probe_interval_s: 0 })
    elsewhere.jobs.create(validJob(site.id))
    await until(() => here.jobStore.count() === 2)
    await runtime.settingsApplied()
    expect(announced).toHaveLength(2)
  })
})
