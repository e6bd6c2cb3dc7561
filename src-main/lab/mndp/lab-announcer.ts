// The lab's routers on MNDP: each announces itself to 127.0.0.1:announcePort at start and every
// interval (RouterOS announces about once a minute), and all answer a refresh received on
// 127.0.0.1:announcePort+1 (the stand-in for the routers' own UDP 5678: on one loopback address the
// listener and the routers cannot share a port). The fields are a real router's; the API port
// rides in a vendor TLV (LAB_API_PORT_TLV) because every lab router is 127.0.0.1.
import dgram from 'node:dgram'
import { encodeMndp, decodeMndp } from '../../core/discovery/mndp-codec'
import { LAB_API_PORT_TLV } from '../../core/discovery/mndp-scan'
import type { LabRouter } from '../lab'
import { macAddress } from '../router/facts'
import type { LabRouter as SimulatedLabRouter } from '../router/model'

export interface LabMndp {
  close(): Promise<void>
}

function announcement(router: LabRouter<SimulatedLabRouter>, sequence: number): Uint8Array {
  const port = new Uint8Array(2)
  new DataView(port.buffer).setUint16(0, router.port)
  const model = router.router
  return encodeMndp({
    sequence,
    mac: macAddress(model.facts, 0),
    // Read at send time, so a script's `/system identity set` shows in the next announcement.
    identity: model.identity,
    version: `${model.version} (stable)`,
    platform: 'MikroTik',
    uptime: Math.floor(model.uptimeMs() / 1000),
    software_id: model.facts.softwareId,
    board: model.facts.boardName,
    interface_name: 'ether1',
    ipv4: router.host,
    extra: [{ type: LAB_API_PORT_TLV, value: port }],
  })
}

export async function startLabMndp(
  routers: ReadonlyArray<LabRouter<SimulatedLabRouter>>,
  options: { announcePort: number; intervalMs?: number },
): Promise<LabMndp> {
  const socket = dgram.createSocket('udp4')
  let sequence = 0
  const announceAll = (host: string, port: number) => {
    sequence = (sequence + 1) & 0xffff
    for (const router of routers) socket.send(announcement(router, sequence), port, host)
  }
  socket.on('message', (packet, from) => {
    if (decodeMndp(packet).kind === 'refresh') announceAll(from.address, from.port)
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(options.announcePort + 1, '127.0.0.1', () => {
      socket.off('error', reject)
      resolve()
    })
  })
  // Nobody may listen yet: a refused datagram is not an error for an announcer.
  socket.on('error', () => {})
  announceAll('127.0.0.1', options.announcePort)
  const timer = setInterval(() => announceAll('127.0.0.1', options.announcePort), options.intervalMs ?? 60_000)
  timer.unref()
  return {
    close: () => new Promise((resolve) => {
      clearInterval(timer)
      socket.close(() => resolve())
    }),
  }
}
