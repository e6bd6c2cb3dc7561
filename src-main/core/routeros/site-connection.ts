// How to reach a site's router, as the client takes it: one mapping for every part that connects
// (the LAN executor, the health probe), so a new site setting reaches all of them.
import type { Site } from '../../contract/site-schema'
import type { RouterClientOptions } from './router-client'
import { certificatePinnerFor } from './site-trust'

export interface ConnectionTimeouts {
  connectMs: number
  loginMs: number
  commandMs: number
}

export function routerOptionsFor(site: Site, password: string, timeouts: ConnectionTimeouts): RouterClientOptions {
  return {
    host: site.host,
    port: site.api_port,
    tls: site.tls,
    allowAnonymousDh: site.allow_anonymous_dh,
    tlsFingerprint: site.tls_fingerprint,
    // Trust on first use: the first certificate seen is saved to the site (site-trust.ts).
    pinOnFirstUse: certificatePinnerFor(site),
    siteName: site.name,
    user: site.username,
    password,
    codePage: site.code_page,
    connectTimeoutMs: timeouts.connectMs,
    loginTimeoutMs: timeouts.loginMs,
    commandTimeoutMs: timeouts.commandMs,
  }
}
