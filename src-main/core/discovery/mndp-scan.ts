// One discovery scan: send the MNDP refresh, listen for announcements for a while, keep the latest
// announcement per MAC. Garbage packets are counted, never fatal.
import dgram from 'node:dgram'
import { decodeMndp, MNDP_PORT, MNDP_REFRESH, type MndpAnnouncement } from './mndp-codec'

/**
 * Announcements from the Fieldjobs lab carry the router's API port in this TLV, because every lab
 * router answers on 127.0.0.1 and only the port tells them apart. Real RouterOS never sends it, so a
 * real router's site gets the default API port.
 */
export const LAB_API_PORT_TLV = 0xff01

export interface ScanOptions {
  /** Where to listen; default 5678 on every address (a real LAN). */
  port?: number
  /**
   * Where the refresh goes. Default: broadcast 255.255.255.255:5678. With a test `port` the lab
   * listens for refreshes on 127.0.0.1:port+1 (one loopback port cannot hold both ends).
   */
  refreshTo?: { host: string; port: number }
  timeoutMs: number
  /** Stop early once this many routers answered (the benchmark); the CLI listens for the whole time. */
  expectRouters?: number
  signal?: AbortSignal
}

export interface ScanResult {
  readonly routers: MndpAnnouncement[]
  readonly skipped: number
}

/** The API port a discovered router announced (lab only), if any. */
export function announcedApiPort(router: MndpAnnouncement): number | null {
  const tlv = router.unknown_tlvs.find((entry) => entry.type === LAB_API_PORT_TLV)
  return tlv && tlv.hex.length === 4 ? Number.parseInt(tlv.hex, 16) : null
}

export function scanMndp(options: ScanOptions): Promise<ScanResult> {
  const loopback = options.port !== undefined
  const listenPort = options.port ?? MNDP_PORT
  const refreshTo = options.refreshTo ?? (loopback ? { host: '127.0.0.1', port: listenPort + 1 } : { host: '255.255.255.255', port: MNDP_PORT })
  return new Promise((resolve, reject) => {
    const byMac = new Map<string, MndpAnnouncement>()
    let skipped = 0
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: !loopback })
    let timer: NodeJS.Timeout | undefined
    const finish = () => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', finish)
      socket.close()
      resolve({ routers: [...byMac.values()], skipped })
    }
    socket.on('error', (error) => {
      clearTimeout(timer)
      socket.close()
      reject(new Error(`cannot listen for MNDP on UDP ${listenPort}: ${error.message}`))
    })
    socket.on('message', (packet) => {
      const result = decodeMndp(packet)
      if (result.kind === 'refresh') return
      if (result.kind === 'garbage' || result.announcement.mac === null) {
        skipped++
        return
      }
      // Latest wins: a router that renamed itself mid-scan shows its new identity.
      byMac.set(result.announcement.mac, result.announcement)
      if (options.expectRouters !== undefined && byMac.size >= options.expectRouters) finish()
    })
    socket.bind(listenPort, loopback ? '127.0.0.1' : undefined, () => {
      if (!loopback) socket.setBroadcast(true)
      options.signal?.addEventListener('abort', finish)
      timer = setTimeout(finish, options.timeoutMs)
      socket.send(MNDP_REFRESH, refreshTo.port, refreshTo.host)
    })
  })
}
