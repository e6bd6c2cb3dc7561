// Per-test cloud fixtures: a fresh data folder and core, a site with a cloud twin, the SDX fake,
// and waits on the core's events (never on sleeps). Everything is closed in afterEach.
import { rmSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { afterEach } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { CloudClient, type CloudClientOptions } from '../../src-main/core/cloud/cloud-client'
import { SyncEngine, type SyncEngineOptions } from '../../src-main/core/cloud/sync-engine'
import { MemorySecretStore } from '../support/memory-secret-store'
import { CloudFake, type CloudFakeOptions } from '../cloud-fake/cloud-fake'
import { tempDataDir } from '../support/temp-core'

/** Fast retries, so a test that meets faults does not wait seconds. */
export const quickRetry = { baseMs: 2, capMs: 20, maxAttempts: 4 }

export function useCloud() {
  const closers: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })

  async function fake(options: CloudFakeOptions = {}): Promise<CloudFake> {
    const started = await CloudFake.start(options)
    closers.push(() => started.close())
    return started
  }

  function client(fakeOrUrl: CloudFake | { url: string; token: string }, options: Partial<CloudClientOptions> = {}): CloudClient {
    const made = new CloudClient({
      baseUrl: fakeOrUrl.url,
      token: fakeOrUrl.token,
      rateLimit: null,
      retry: quickRetry,
      timeoutMs: 5_000,
      ...options,
    })
    closers.push(() => made.close())
    return made
  }

  function dataDir(): string {
    const dir = tempDataDir('fieldjobs-cloud-')
    closers.push(() => rmSync(dir, { recursive: true, force: true }))
    return dir
  }

  function core(dir = dataDir()): FieldjobsCore {
    const opened = FieldjobsCore.open({ dataDir: dir, secrets: new MemorySecretStore() })
    closers.push(() => opened.close())
    return opened
  }

  /** A site whose cloud twin is `cloudSiteId`. */
  function site(on: FieldjobsCore, cloudSiteId: string = randomUUID(), name = `site-${cloudSiteId.slice(0, 8)}`) {
    return on.addSite({ name, host: '127.0.0.1', username: 'admin', password: 'x', cloud_site_id: cloudSiteId })
  }

  function cloudJob(on: FieldjobsCore, siteId: string, fields: Record<string, unknown> = {}): Job {
    return on.jobs.create({
      site_id: siteId,
      description: 'Add a firewall rule',
      script: '/ip firewall filter add chain=forward action=accept',
      route: 'cloud',
      ...fields,
    }).job
  }

  function engine(on: FieldjobsCore, api: CloudClient, options: Partial<SyncEngineOptions> = {}): SyncEngine {
    const made = new SyncEngine({
      core: on,
      client: api,
      concurrency: 4,
      pollIntervalMs: 60_000,
      offlineBackoff: { baseMs: 5, capMs: 50 },
      ...options,
    })
    on.jobs.setCancelPorts({ cloudCancelRequested: () => made.cloudCancelRequested() })
    closers.push(() => made.stop())
    return made
  }

  return { fake, client, dataDir, core, site, cloudJob, engine }
}

export { untilJob, untilSyncStatus } from '../support/job-events'
