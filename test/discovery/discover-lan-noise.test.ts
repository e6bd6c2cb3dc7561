// `fieldjobs discover` on a noisy LAN: a stand-in router answers the refresh (so the test knows
// discover is listening, no sleeps) with garbage, a truncated announcement, an announcement with a
// TLV no decoder knows, and a second announcement of the same MAC under a new identity.
import dgram from 'node:dgram'
import { afterEach, expect, it } from 'vitest'
import { decodeMndp, encodeMndp } from '../../src-main/core/discovery/mndp-codec'
import { cli } from '../support/cli-harness'
import { freePort } from '../support/free-port'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
let router: dgram.Socket | undefined
afterEach(() => router?.close())

const base = { mac: 'D4:01:C3:00:00:07', version: '7.18 (stable)', platform: 'MikroTik', uptime: 3600, software_id: 'ABCD-1234', board: 'hAP ax3', interface_name: 'bridge', ipv4: '192.0.2.7' }

it('skips garbage and truncated packets with a count, keeps unknown TLVs, and lists a router once with its latest announcement', async () => {
  const port = await freePort()
  router = dgram.createSocket('udp4')
  const socket = router
  socket.on('message', (packet, from) => {
    if (decodeMndp(packet).kind !== 'refresh') return
    const first = encodeMndp({ ...base, sequence: 1, identity: 'old-name', extra: [{ type: 0x4242, value: new Uint8Array([1, 2, 3]) }] })
    const latest = encodeMndp({ ...base, sequence: 2, identity: 'new-name', extra: [{ type: 0x4242, value: new Uint8Array([1, 2, 3]) }] })
    const packets = [Buffer.from('hello, not MNDP'), first.subarray(0, first.length - 3), first, latest]
    for (const each of packets) socket.send(each, from.port, from.address)
  })
  await new Promise<void>((resolve) => socket.bind(port + 1, '127.0.0.1', resolve))

  const scanned = await cli(['discover', '--port', String(port), '--timeout', '1', '--data-dir', tempDir(), '--json'])
  expect(scanned.code).toBe(0)
  expect(scanned.stderr).toBe('skipped 2 packets (not MNDP announcements)\n')
  expect(scanned.json()).toEqual([
    { ...base, identity: 'new-name', ipv6: null, unknown_tlvs: [{ type: 0x4242, hex: '010203' }], known_site: null },
  ])
})
