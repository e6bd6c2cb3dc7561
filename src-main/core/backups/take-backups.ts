// Backups taken now, outside any job (`backup run`, the schedule): an export of each router, a few
// routers at a time, each recorded as changed or unchanged against the site's previous backup. One
// router that fails is reported and does not stop the others.
import type { Backup } from '../../contract/ipc-contract'
import type { Site } from '../../contract/site-schema'
import type { FieldjobsCore } from '../app/fieldjobs-core'
import { takeExport } from '../lan/router-backup'
import { RouterClient } from '../routeros/router-client'
import { routerOptionsFor } from '../routeros/site-connection'

export type BackupResult = { site: Site; backup: Backup; error?: undefined } | { site: Site; backup?: undefined; error: string }

export interface TakeBackupsOptions {
  /** Routers exported at once (default 8: an export is a few hundred KB at most, the router does the work). */
  concurrency?: number
  timeoutMs?: number
}

async function backupOne(core: FieldjobsCore, site: Site, timeoutMs: number): Promise<BackupResult> {
  let client: RouterClient | undefined
  try {
    client = new RouterClient(routerOptionsFor(site, core.sitePassword(site), { connectMs: timeoutMs, loginMs: timeoutMs, commandMs: timeoutMs }))
    await client.connect()
    const text = await takeExport(client, { fileName: `fieldjobs-backup-${core.clock.now()}`, timeoutMs })
    return { site, backup: await core.backups.record(site.id, text, core.clock.now()) }
  } catch (error) {
    return { site, error: (error as Error).message }
  } finally {
    void client?.close()
  }
}

/** Results in the order of `sites`. */
export async function takeBackups(core: FieldjobsCore, sites: Site[], options: TakeBackupsOptions = {}): Promise<BackupResult[]> {
  const results: BackupResult[] = new Array(sites.length)
  let next = 0
  const worker = async () => {
    while (next < sites.length) {
      const index = next++
      results[index] = await backupOne(core, sites[index], options.timeoutMs ?? 30_000)
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, sites.length) }, worker))
  return results
}
