// Site health as a service: check one site now (`fieldjobs site check`, IPC `sites:check`), read its
// history (IPC `sites:health`), and probe every site periodically, publishing `site.health` events.
import type { HealthSample } from '../../contract/ipc-contract'
import type { Site } from '../../contract/site-schema'
import type { FieldjobsCore } from '../app/fieldjobs-core'
import { FieldjobsError } from '../errors'
import { HealthStore } from './health-store'
import { probeSite } from './site-probe'

/** Sites probed at once by the periodic probe: enough for hundreds of sites, gentle on the laptop. */
const PROBE_CONCURRENCY = 16

export class SiteHealth {
  readonly store: HealthStore

  constructor(private readonly core: FieldjobsCore) {
    this.store = new HealthStore(core.db)
  }

  /** Probes one site (by id or name) now, stores the sample and publishes it. For `sites:check`. */
  async check(siteIdOrName: string): Promise<HealthSample> {
    return this.probe(this.core.siteStore.find(siteIdOrName))
  }

  private async probe(site: Site): Promise<HealthSample> {
    let password: string
    try {
      password = this.core.sitePassword(site)
    } catch (error) {
      if (error instanceof FieldjobsError) password = ''
      else throw error
    }
    const sample = await probeSite(site, password, { now: () => this.core.clock.now() })
    this.store.record(sample)
    this.core.events.publish({ type: 'site.health', site_id: site.id, online: sample.online, at: sample.at })
    return sample
  }

  /** A site's samples, oldest first, since an ISO time (default: the whole week kept). For `sites:health`. */
  history(siteId: string, since?: string): HealthSample[] {
    const site = this.core.siteStore.get(siteId)
    let sinceMs = 0
    if (since !== undefined) {
      sinceMs = Date.parse(since)
      if (Number.isNaN(sinceMs)) throw new FieldjobsError('validation', `since: "${since}" is not a date and time, like 2026-11-22T10:00:00Z`)
    }
    return this.store.history(site.id, sinceMs)
  }

  /** Probes every site once (bounded concurrency), then prunes samples past retention. */
  async probeAll(): Promise<HealthSample[]> {
    const sites = this.core.siteStore.list()
    const samples: HealthSample[] = []
    let next = 0
    const worker = async () => {
      while (next < sites.length) {
        // Read again at its turn (from the site cache), so an edit made during a long round is probed.
        const site = this.core.siteStore.get(sites[next++]!.id)
        samples.push(await this.probe(site))
      }
    }
    await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, sites.length) }, worker))
    this.store.prune(this.core.clock.now())
    return samples
  }

  /**
   * Probes every `intervalS` seconds (0: never). A round that is still running when the next is due
   * is not doubled. Returns a stop() that waits for the round in progress.
   */
  startProbing(intervalS: number): { stop(): Promise<void> } {
    if (intervalS <= 0) return { stop: async () => {} }
    let round: Promise<unknown> | undefined
    let stopped = false
    const tick = () => {
      if (stopped || round) return
      round = this.probeAll()
        .catch(() => {})
        .finally(() => {
          round = undefined
        })
    }
    const timer = setInterval(tick, intervalS * 1000)
    timer.unref()
    tick()
    return {
      stop: async () => {
        stopped = true
        clearInterval(timer)
        await round
      },
    }
  }
}
