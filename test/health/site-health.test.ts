// Site health: a probe of a lab router, an offline router, storage, retention and the periodic probe.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SiteHealth } from '../../src-main/core/health/site-health'
import { HEALTH_RETENTION_MS } from '../../src-main/core/health/health-store'
import { startRuntime } from '../../src-main/core/app/runtime'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { nextEvent } from '../support/job-events'
import { ManualClock, openTempCore, type TempCore } from '../support/temp-core'
import { addLabSite } from '../lan/lab-site'

let temp: TempCore
let clock: ManualClock
let lab: Lab | undefined
beforeEach(() => {
  clock = new ManualClock()
  temp = openTempCore({ clock })
})
afterEach(async () => {
  await temp.cleanup()
  await lab?.close()
  lab = undefined
})

describe('site health', () => {
  it('probes an online router: identity, version, board, cpu, memory, uptime; stores and publishes it', async () => {
    lab = await startLab({ routers: 1 })
    const site = addLabSite(temp.core, lab.routers[0]!)
    const health = new SiteHealth(temp.core)
    const published = nextEvent(temp.core.events, (event) => event.type === 'site.health')
    const sample = await health.check(site.name)
    expect(sample).toMatchObject({ site_id: site.id, online: true, identity: 'lab-router-1', error: null })
    expect(sample.version).toMatch(/^7\.18\.2/)
    expect(sample.board).toEqual(expect.any(String))
    expect(sample.cpu_load).toEqual(expect.any(Number))
    expect(sample.free_memory).toBeLessThanOrEqual(sample.total_memory!)
    expect(sample.uptime).toMatch(/\d+[wdhms]/)
    expect(await published).toMatchObject({ type: 'site.health', site_id: site.id, online: true })
    expect(health.history(site.id)).toEqual([sample])
  })

  it('an unreachable router is an offline sample with the reason', async () => {
    lab = await startLab({ routers: 1 })
    await lab.routers[0]!.server.setFaults({ refuseConnections: true })
    const site = addLabSite(temp.core, lab.routers[0]!)
    const sample = await new SiteHealth(temp.core).check(site.id)
    expect(sample).toMatchObject({ online: false, identity: null })
    expect(sample.error).toContain('refused')
  })

  it('keeps seven days of samples and filters history by time', async () => {
    lab = await startLab({ routers: 1 })
    const site = addLabSite(temp.core, lab.routers[0]!)
    const health = new SiteHealth(temp.core)
    const old = await health.check(site.id)
    clock.advance(HEALTH_RETENTION_MS - 1000)
    const recent = await health.check(site.id)
    expect(health.history(site.id, recent.at)).toEqual([recent])
    clock.advance(2000)
    await health.probeAll()
    const kept = health.history(site.id)
    expect(kept.map((sample) => sample.at)).not.toContain(old.at)
    expect(kept).toHaveLength(2)
    expect(() => health.history(site.id, 'yesterday')).toThrow(/not a date/)
  })

  it('the runtime probes every site periodically', async () => {
    lab = await startLab({ routers: 2 })
    const sites = lab.routers.map((router) => addLabSite(temp.core, router))
    const seen = new Set<string>()
    const both = new Promise<void>((resolve) =>
      temp.core.events.subscribe((event) => {
        if (event.type === 'site.health') seen.add(event.site_id)
        if (seen.size === 2) resolve()
      }),
    )
    const runtime = startRuntime(temp.core, { probeIntervalS: 3600 })
    await both
    await runtime.stop()
    expect([...seen].sort()).toEqual(sites.map((site) => site.id).sort())
  })
})
