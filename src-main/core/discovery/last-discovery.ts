// The last scan's routers, kept in the data folder so `site add --from-discovery MAC` can use them
// in a later command. A file, not a table: it is a cache of what the LAN said, replaced by each scan.
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { Site } from '../../contract/site-schema'
import type { MndpAnnouncement } from './mndp-codec'
import { announcedApiPort } from './mndp-scan'

const FILE = 'last-discovery.json'

export interface DiscoveredRouter extends MndpAnnouncement {
  readonly known_site: string | null
}

export function saveLastDiscovery(dataDir: string, routers: readonly MndpAnnouncement[]): void {
  const path = join(dataDir, FILE)
  writeFileSync(`${path}.tmp`, JSON.stringify({ scanned_at: new Date().toISOString(), routers }))
  renameSync(`${path}.tmp`, path)
}

export function loadLastDiscovery(dataDir: string): MndpAnnouncement[] {
  const path = join(dataDir, FILE)
  if (!existsSync(path)) return []
  return (JSON.parse(readFileSync(path, 'utf8')) as { routers: MndpAnnouncement[] }).routers
}

/**
 * A router is a known site when a site has its address (and, for lab routers, which all share
 * 127.0.0.1, its announced API port).
 */
export function knownSiteOf(router: MndpAnnouncement, sites: readonly Site[]): string | null {
  // By MAC first: it stays when the address changes; then by address (and the lab's announced port).
  const mac = router.mac?.toUpperCase()
  const byMac = mac ? sites.find((site) => site.mac === mac) : undefined
  if (byMac) return byMac.name
  const port = announcedApiPort(router)
  return sites.find((site) => site.host === router.ipv4 && (port === null || site.api_port === port))?.name ?? null
}
