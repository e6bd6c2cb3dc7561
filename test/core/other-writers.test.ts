// Another process's writes on the same data folder become this process's events: a job created by
// the CLI, its run elsewhere, a site changed or removed elsewhere, a backup recorded elsewhere. Two cores on one folder are two
// connections, exactly as the CLI beside the app.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreEvent } from '../../src-main/contract/events'
import { watchOtherWriters, type OtherWritersWatch } from '../../src-main/core/app/other-writers'
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
})
