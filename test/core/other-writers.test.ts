// Another process's writes on the same data folder become this process's events: a job created by
// the CLI, its run elsewhere, a site changed or removed elsewhere, a backup recorded elsewhere. Two cores on one folder are two
// connections, exactly as the CLI beside the app.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreEvent } from '../../src-main/contract/events'
import { watchOtherWriters, type OtherWritersWatch } from '../../src-main/core/app/other-writers'
import { startRuntimeLog } from '../../src-main/core/log/runtime-log'
import { JobProgressStore } from '../../src-main/core/store/job-progress-store'
import { addSite, openTempCore, type TempCore } from '../support/temp-core'

let app: TempCore
let cli: TempCore
let watch: OtherWritersWatch
let events: CoreEvent[]
beforeEach(() => {
  app = openTempCore()
  cli = openTempCore({ dataDir: app.dataDir })
  events = []
  app.core.events.subscribe((event) => events.push(event))
  watch = watchOtherWriters(app.core, 60_000) // Checked by hand below, not by the timer.
})
afterEach(async () => {
  watch.stop()
  await cli.core.close(100)
  await app.cleanup()
})

describe('other writers', () => {
  it('announces jobs created, moved and finished elsewhere, and sites changed or removed, once each', () => {
    const site = addSite(cli.core, 'depot')
    const { job } = cli.core.jobs.create({ site_id: site.id, description: 'from the CLI', script: ':put 1', route: 'lan' })
    expect(watch.check()).toBe(2)
    expect(events.map((event) => event.type)).toEqual(['job.created', 'site.changed'])
    expect(watch.check()).toBe(0) // Nothing new: nothing said twice.

    cli.core.jobs.cancel(job.id)
    events = []
    watch.check()
    expect(events).toMatchObject([{ type: 'job.changed', job: { id: job.id, status: 'canceled' }, from: 'pending' }])

    // This process's own writes are announced by its stores, not again by the watch.
    const own = app.core.jobs.create({ site_id: site.id, description: 'from the app', script: ':put 2', route: 'lan' }).job
    events = []
    expect(watch.check()).toBe(0)
    app.core.jobs.cancel(own.id)

    cli.core.removeSite(site.id, { purge: true })
    events = []
    watch.check()
    expect(events.map((event) => event.type)).toContain('site.removed')
  })

  it('announces backups recorded elsewhere once each, in order; this process announces its own', async () => {
    const site = addSite(cli.core, 'depot')
    watch.check()
    events = []
    const first = await cli.core.backups.record(site.id, '# 2026-03-01 10:00:00 by RouterOS 7.18.2\n/ip dns\nset servers=1.1.1.1\n', Date.parse('2026-03-01T10:00:00Z'))
    const unchanged = await cli.core.backups.record(site.id, '# 2026-03-01 11:00:00 by RouterOS 7.18.2\n/ip dns\nset servers=1.1.1.1\n', Date.parse('2026-03-01T11:00:00Z'))
    expect(watch.check()).toBe(2)
    expect(events).toEqual([
      { type: 'backup.created', backup: first },
      { type: 'backup.created', backup: unchanged },
    ])
    expect(unchanged.changed).toBe(false)
    expect(watch.check()).toBe(0)

    // Recorded here: announced by the store at once, not a second time by the watch.
    events = []
    const own = await app.core.backups.record(site.id, '# h\n/ip dns\nset servers=9.9.9.9\n', Date.parse('2026-03-01T12:00:00Z'))
    expect(events).toEqual([{ type: 'backup.created', backup: own }])
    expect(watch.check()).toBe(0)
  })

  it('announces a job created elsewhere even when this process moved it first (its queue claimed it)', () => {
    const site = addSite(cli.core, 'depot')
    watch.check()
    const { job } = cli.core.jobs.create({ site_id: site.id, description: 'from the CLI', script: ':put 1', route: 'lan' })
    // Before the watch looks, this process's engine takes it: its first word of the job is a change.
    events = []
    app.core.jobs.cancel(job.id)
    expect(events.map((event) => event.type)).toEqual(['job.changed'])
    watch.check()
    expect(events.slice(1)).toMatchObject([{ type: 'job.created', job: { id: job.id, status: 'canceled' } }])
    expect(watch.check()).toBe(0)
  })

  it("announces another process's job and backup even when this process wrote a newer one before the watch looked", async () => {
    const site = addSite(cli.core, 'depot')
    watch.check()
    events = []
    const elsewhere = cli.core.jobs.create({ site_id: site.id, description: 'from the CLI', script: ':put 1', route: 'lan' }).job
    const here = app.core.jobs.create({ site_id: site.id, description: 'from the app', script: ':put 2', route: 'lan' }).job
    expect(here.seq).toBeGreaterThan(elsewhere.seq)
    const backupElsewhere = await cli.core.backups.record(site.id, '# 2026-03-01 10:00:00 by RouterOS 7.18.2\n/ip dns\n', Date.parse('2026-03-01T10:00:00Z'))
    const backupHere = await app.core.backups.record(site.id, '# 2026-03-01 11:00:00 by RouterOS 7.18.2\n/system identity\n', Date.parse('2026-03-01T11:00:00Z'))
    expect(backupHere.id!).toBeGreaterThan(backupElsewhere.id!)
    events = []
    watch.check()
    expect(events.filter((event) => event.type === 'job.created').map((event) => event.type === 'job.created' && event.job.id)).toEqual([elsewhere.id])
    expect(events.filter((event) => event.type === 'backup.created').map((event) => event.type === 'backup.created' && event.backup.id)).toEqual([backupElsewhere.id])
    expect(watch.check()).toBe(0)
  })

  it('looks past its own rows while nobody else writes, and still finds the next row written elsewhere', async () => {
    const site = addSite(cli.core, 'depot')
    watch.check()
    const here = app.core.jobs.create({ site_id: site.id, description: 'from the app', script: ':put 1', route: 'lan' }).job
    await app.core.backups.record(site.id, '# 2026-03-01 10:00:00 by RouterOS 7.18.2\n/ip dns\n', Date.parse('2026-03-01T10:00:00Z'))
    events = []
    expect(watch.check()).toBe(0) // No other connection committed: only this process's rows are new.
    const elsewhere = cli.core.jobs.create({ site_id: site.id, description: 'from the CLI', script: ':put 2', route: 'lan' }).job
    const backupElsewhere = await cli.core.backups.record(site.id, '# 2026-03-01 11:00:00 by RouterOS 7.18.2\n/system identity\n', Date.parse('2026-03-01T11:00:00Z'))
    watch.check()
    expect(events.filter((event) => event.type === 'job.created').map((event) => event.type === 'job.created' && event.job.id)).toEqual([elsewhere.id])
    expect(events.filter((event) => event.type === 'backup.created').map((event) => event.type === 'backup.created' && event.backup.id)).toEqual([backupElsewhere.id])
    expect(elsewhere.seq).toBeGreaterThan(here.seq)
  })

  it("is not written to this process's log: the process that did it logs it, once", () => {
    const log = startRuntimeLog(app.core)
    try {
      const site = addSite(cli.core, 'depot')
      const elsewhere = cli.core.jobs.create({ site_id: site.id, description: 'from the CLI', script: ':put 1', route: 'lan' }).job
      watch.check()
      const here = app.core.jobs.create({ site_id: site.id, description: 'from the app', script: ':put 2', route: 'lan' }).job
      const lines = readFileSync(join(app.dataDir, 'logs', 'fieldjobs.log'), 'utf8').split('\n').filter((line) => line.includes('"event":"job.created"'))
      expect(lines.filter((line) => line.includes(elsewhere.id))).toEqual([])
      expect(lines.filter((line) => line.includes(here.id))).toHaveLength(1)
    } finally {
      log.stop()
    }
  })

  it("announces what a job run elsewhere said, once each and in order, before its last change; this process's own lines once", () => {
    // Each process records its own lines, as startRuntime wires it.
    const recorders = [app, cli].map(({ core }) => new JobProgressStore(core.db).record((listener) => core.events.subscribe(listener)))
    try {
      const site = addSite(cli.core, 'depot')
      const elsewhere = cli.core.jobs.create({ site_id: site.id, description: 'run by the CLI', script: ':put 1', route: 'lan' }).job
      const here = app.core.jobs.create({ site_id: site.id, description: 'run by the app', script: ':put 2', route: 'lan' }).job
      watch.check()
      events = []
      const say = (core: TempCore['core'], jobId: string, message: string, at: string) => core.events.publish({ type: 'job.progress', job_id: jobId, message, at })
      cli.core.jobStore.transition(elsewhere.id, 'in_progress', { started_at: '2026-03-01T10:00:00.000Z' })
      say(cli.core, elsewhere.id, 'connected to 127.0.0.1:8728', '2026-03-01T10:00:00.100Z')
      // This process says a line of its own in between, and one with the other's exact words.
      say(app.core, here.id, 'connected to 127.0.0.1:8728', '2026-03-01T10:00:00.150Z')
      say(cli.core, elsewhere.id, 'script sent', '2026-03-01T10:00:00.200Z')
      say(cli.core, elsewhere.id, 'script sent', '2026-03-01T10:00:00.200Z') // Said twice: shown twice.
      cli.core.jobStore.transition(elsewhere.id, 'completed', { completed_at: '2026-03-01T10:00:01.000Z', output: '' })
      events = []
      watch.check()
      expect(events.map((event) => (event.type === 'job.progress' ? `${event.job_id === elsewhere.id ? 'cli' : 'app'}: ${event.message}` : event.type))).toEqual([
        'cli: connected to 127.0.0.1:8728',
        'cli: script sent',
        'cli: script sent',
        'job.changed',
      ])
      expect(events.at(-1)).toMatchObject({ type: 'job.changed', job: { id: elsewhere.id, status: 'completed' } })
      expect(watch.check()).toBe(0)

      // Stored once, by the process that said it: the app's recorder keeps only its own line.
      const progress = new JobProgressStore(app.core.db)
      expect(progress.list(elsewhere.id).map((line) => line.message)).toEqual(['connected to 127.0.0.1:8728', 'script sent', 'script sent'])
      expect(progress.list(here.id).map((line) => line.message)).toEqual(['connected to 127.0.0.1:8728'])

      // While nobody else writes, this process's own lines are not announced again, later either.
      say(app.core, here.id, 'backup saved', '2026-03-01T10:00:02.000Z')
      expect(watch.check()).toBe(0)
      say(cli.core, elsewhere.id, 'a late word', '2026-03-01T10:00:03.000Z')
      events = []
      expect(watch.check()).toBe(1)
      expect(events).toEqual([{ type: 'job.progress', job_id: elsewhere.id, message: 'a late word', at: '2026-03-01T10:00:03.000Z' }])
    } finally {
      for (const stop of recorders) stop()
    }
  })

  describe('settings', () => {
    /**
     * A watch whose process has a listener ahead of the watch's own, as `fieldjobs run`'s printer is
     * (it subscribes before the runtime starts the watch); `onSettings` runs there on each change.
     */
    function watchBehind(onSettings: (elsewhere: boolean) => void) {
      watch.stop()
      app.core.events.subscribe((event, origin) => {
        if (event.type === 'settings.changed') onSettings(origin.elsewhere)
      })
      watch = watchOtherWriters(app.core, 60_000)
    }
    const settingsEvents = () => events.filter((event) => event.type === 'settings.changed')

    it('announces a change saved elsewhere while it announces the one before (the CLI answering the line run printed)', () => {
      let next: (() => void) | undefined = () => cli.core.updateSettings({ cloud_token: 'sk-next' })
      watchBehind(() => {
        next?.()
        next = undefined
      })
      cli.core.updateSettings({ concurrency: 3 })
      watch.check()
      expect(settingsEvents()).toEqual([{ type: 'settings.changed', cloud: false }])
      events = []
      watch.check()
      expect(settingsEvents()).toEqual([{ type: 'settings.changed', cloud: true }])
      events = []
      expect(watch.check()).toBe(0)
    })

    it("announces a change saved elsewhere just after this process's own, and this process's own alone not at all", () => {
      let next: (() => void) | undefined = () => cli.core.updateSettings({ cloud_api_url: 'http://127.0.0.1:9/' })
      watchBehind((elsewhere) => {
        if (!elsewhere) next?.()
        next = undefined
      })
      app.core.updateSettings({ concurrency: 2 })
      events = []
      watch.check()
      expect(settingsEvents()).toEqual([{ type: 'settings.changed', cloud: true }])
      // This process's own change, with nobody else writing: announced by this process only.
      app.core.updateSettings({ concurrency: 4 })
      events = []
      expect(watch.check()).toBe(0)
    })
  })
})
