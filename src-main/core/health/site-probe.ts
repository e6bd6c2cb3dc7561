// One health probe of one router: can we log in, and what does it say about itself. Two prints sent
// together on one connection (tagged), so a probe costs the login plus one round trip.
import type { HealthSample } from '../../contract/ipc-contract'
import type { Site } from '../../contract/site-schema'
import { isoAt } from '../clock'
import { RouterClient } from '../routeros/router-client'
import { routerOptionsFor } from '../routeros/site-connection'

export interface ProbeOptions {
  now: () => number
}

/** Each of connect, login and the prints: a router that does not answer within it counts as offline. */
const PROBE_TIMEOUT_MS = 10_000

const number = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === '') return null
  const parsed = Number(value)
  return Number.isFinite(parsed) ? parsed : null
}

export async function probeSite(site: Site, password: string, options: ProbeOptions): Promise<HealthSample> {
  const client = new RouterClient(
    routerOptionsFor(site, password, { connectMs: PROBE_TIMEOUT_MS, loginMs: PROBE_TIMEOUT_MS, commandMs: PROBE_TIMEOUT_MS }),
  )
  const offline = (error: unknown): HealthSample => ({
    site_id: site.id,
    at: isoAt(options.now()),
    online: false,
    identity: null,
    version: null,
    board: null,
    cpu_load: null,
    free_memory: null,
    total_memory: null,
    uptime: null,
    error: (error as Error).message,
  })
  try {
    await client.connect()
    const [resources, identities] = await Promise.all([client.print('/system/resource/print'), client.print('/system/identity/print')])
    const resource = resources[0] ?? {}
    return {
      site_id: site.id,
      at: isoAt(options.now()),
      online: true,
      identity: identities[0]?.name ?? null,
      version: resource.version ?? null,
      board: resource['board-name'] ?? null,
      cpu_load: number(resource['cpu-load']),
      free_memory: number(resource['free-memory']),
      total_memory: number(resource['total-memory']),
      uptime: resource.uptime ?? null,
      error: null,
    }
  } catch (error) {
    return offline(error)
  } finally {
    await client.close()
  }
}
