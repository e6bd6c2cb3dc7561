// Trust on first use for api-ssl, like SSH's known_hosts: a site with no pinned certificate pins the
// first one it sees; from then on any other certificate is refused. Every site object the site store
// hands out carries its own way to pin (bound here), and routerOptionsFor passes it to the client,
// so every caller that connects to a site (LAN executor, health probe, checks) pins the same way
// without having to remember to.
import type { Site } from '../../contract/site-schema'

/** Pins `fingerprint` unless one is already pinned; returns the fingerprint now pinned. */
export type PinCertificate = (fingerprint: string) => string

const pinners = new WeakMap<Site, PinCertificate>()

export function bindSiteTrust(site: Site, pin: PinCertificate): Site {
  pinners.set(site, pin)
  return site
}

/** Undefined for a site not from the store (a copy, a test's literal): it connects without pinning. */
export function certificatePinnerFor(site: Site): PinCertificate | undefined {
  return pinners.get(site)
}

/** What to tell the engineer when a router presents another certificate than the pinned one. */
export function certificateMismatchMessage(where: { siteName?: string; host: string; port: number }, expected: string, got: string | undefined): string {
  const who = where.siteName ? `site "${where.siteName}" (${where.host}:${where.port})` : `${where.host}:${where.port}`
  const retrust = where.siteName ? `fieldjobs site trust "${where.siteName}" --reset` : 'fieldjobs site trust SITE --reset'
  return (
    `${who}: the router's TLS certificate is not the pinned one: expected ${expected}, got ${got ?? 'no certificate (anonymous DH)'}. ` +
    'Nothing was sent (not even the password): someone may be intercepting the connection. ' +
    `If the router really has a new certificate, check its fingerprint on the router and trust it with \`${retrust}\`.`
  )
}

export const ANONYMOUS_DH_WARNING =
  'warning: this site allows anonymous DH: the api-ssl connection is encrypted but unauthenticated, so it cannot ' +
  'tell the router from someone intercepting it. Give the router a certificate and turn anonymous DH off.'

