// What a discovery scan (MNDP) answers the window: each router once, with the fields it announced,
// the API port the lab announces (null for a real router: it listens on the default), and the site
// it already is, if any. The CLI's `discover --json` prints the same fields without api_port.
import * as z from 'zod'

export const DiscoveryScanRequest = z.object({
  // A scan listens this long; RouterOS answers a refresh within a second, 3 s is the CLI default.
  timeout_s: z.number().int().min(1).max(60),
  /** A loopback test port instead of UDP 5678 (the lab's --mndp-port). */
  port: z.number().int().min(1).max(65534).optional(),
})
export type DiscoveryScanRequest = z.infer<typeof DiscoveryScanRequest>

export const DiscoveredRouter = z.object({
  mac: z.string(),
  identity: z.string().nullable(),
  version: z.string().nullable(),
  platform: z.string().nullable(),
  uptime: z.number().int().nullable(),
  software_id: z.string().nullable(),
  board: z.string().nullable(),
  interface_name: z.string().nullable(),
  ipv4: z.string().nullable(),
  ipv6: z.string().nullable(),
  unknown_tlvs: z.array(z.object({ type: z.number().int(), hex: z.string() })),
  api_port: z.number().int().nullable(),
  known_site: z.string().nullable(),
})
export type DiscoveredRouter = z.infer<typeof DiscoveredRouter>

export const DiscoveryScanResult = z.object({
  routers: z.array(DiscoveredRouter),
  /** Packets that were not MNDP announcements (garbage, truncated), skipped. */
  skipped: z.number().int(),
})
export type DiscoveryScanResult = z.infer<typeof DiscoveryScanResult>
