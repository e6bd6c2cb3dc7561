// One discovery as the CLI and the window both run it: scan, remember the routers for a later
// "add from discovery", and say which are sites already.
import type { DiscoveryScanResult } from '../../contract/discovery-schema'
import type { Site } from '../../contract/site-schema'
import { knownSiteOf, saveLastDiscovery } from './last-discovery'
import { announcedApiPort, scanMndp, type ScanOptions } from './mndp-scan'

export async function discoverRouters(
  place: { dataDir: string; sites(): readonly Site[] },
  options: ScanOptions,
): Promise<DiscoveryScanResult> {
  const scan = await scanMndp(options)
  saveLastDiscovery(place.dataDir, scan.routers)
  const sites = place.sites()
  const routers = scan.routers.map((router) => ({
    mac: router.mac!,
    identity: router.identity,
    version: router.version,
    platform: router.platform,
    uptime: router.uptime,
    software_id: router.software_id,
    board: router.board,
    interface_name: router.interface_name,
    ipv4: router.ipv4,
    ipv6: router.ipv6,
    unknown_tlvs: [...router.unknown_tlvs],
    api_port: announcedApiPort(router),
    known_site: knownSiteOf(router, sites),
  }))
  return { routers, skipped: scan.skipped }
}
