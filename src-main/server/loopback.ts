// The bridge binds to loopback only: it carries router passwords and runs scripts on routers, so it
// is never reachable from the network. And it answers only requests addressed to loopback by name,
// so a page on evil.test whose DNS is rebound to 127.0.0.1 cannot read even the static files.
import { isIP } from 'node:net'

/** 127.0.0.0/8, ::1 and `localhost`: the addresses `--host` may name. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  if (bare === 'localhost') return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1'
  return false
}

/** Is the request's Host header a loopback name with our port? */
export function isAllowedHostHeader(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim())
  if (!match) return false
  const headerPort = match[2] === undefined ? 80 : Number(match[2])
  return headerPort === port && isLoopbackHost(match[1])
}
