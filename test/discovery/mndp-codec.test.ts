// The MNDP decoder against byte fixtures written by hand from the protocol description in
// Wireshark's packet-mndp.c (header, big-endian TLV type/length, little-endian uptime) and MikroTik's
// "Neighbor discovery" manual page, plus fuzzed packets that must never throw.
import { describe, expect, it } from 'vitest'
import { decodeMndp, encodeMndp, MNDP_REFRESH } from '../../src-main/core/discovery/mndp-codec'
import { seededRandom } from '../../src-main/lab/router/random'

const ascii = (value: string) => [...value].map((c) => c.charCodeAt(0))
const tlv = (type: number, value: number[]) => [type >> 8, type & 0xff, value.length >> 8, value.length & 0xff, ...value]

// A hAP ac2 announcing on bridge/ether2, as laid out by packet-mndp.c (type 17 IPv4 from newer RouterOS).
const capturedFormat = Uint8Array.from([
  0x00, 0x00, 0x00, 0x07, // header, sequence 7
  ...tlv(1, [0x74, 0x4d, 0x28, 0x91, 0x0d, 0x2f]),
  ...tlv(5, ascii('MikroTik')),
  ...tlv(7, ascii('7.15.3 (stable)')),
  ...tlv(8, ascii('MikroTik')),
  ...tlv(10, [0xdc, 0x15, 0x00, 0x00]), // 5596 s, little-endian
  ...tlv(11, ascii('H792-MXJ3')),
  ...tlv(12, ascii('RBD52G-5HacD2HnD')),
  ...tlv(14, [0x01]),
  ...tlv(15, [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x76, 0x4d, 0x28, 0xff, 0xfe, 0x91, 0x0d, 0x2f]),
  ...tlv(16, ascii('bridge/ether2')),
  ...tlv(17, [192, 168, 88, 1]),
  ...tlv(0x1234, [0xaa, 0xbb]), // a TLV we do not know
])

describe('MNDP decoder', () => {
  it('decodes every documented field of an announcement and keeps unknown TLVs', () => {
    const result = decodeMndp(capturedFormat)
    expect(result).toEqual({
      kind: 'announcement',
      announcement: {
        sequence: 7,
        mac: '74:4D:28:91:0D:2F',
        identity: 'MikroTik',
        version: '7.15.3 (stable)',
        platform: 'MikroTik',
        uptime: 5596,
        software_id: 'H792-MXJ3',
        board: 'RBD52G-5HacD2HnD',
        unpack: 1,
        ipv6: 'fe80:0:0:0:764d:28ff:fe91:d2f',
        interface_name: 'bridge/ether2',
        ipv4: '192.168.88.1',
        unknown_tlvs: [{ type: 0x1234, hex: 'aabb' }],
      },
    })
  })

  it('reads the refresh request (4 zero bytes) as a refresh, not a router', () => {
    expect([...MNDP_REFRESH]).toEqual([0, 0, 0, 0])
    expect(decodeMndp(MNDP_REFRESH)).toEqual({ kind: 'refresh' })
  })

  it('calls truncated packets garbage with the reason', () => {
    expect(decodeMndp(capturedFormat.subarray(0, 3))).toMatchObject({ kind: 'garbage' })
    expect(decodeMndp(capturedFormat.subarray(0, capturedFormat.length - 1))).toMatchObject({ kind: 'garbage', reason: expect.stringMatching(/says 2 bytes, 1 left/) })
    expect(decodeMndp(Uint8Array.from([0, 0, 0, 1, ...tlv(1, [1, 2, 3])]))).toMatchObject({ kind: 'garbage', reason: expect.stringMatching(/MAC TLV of 3 bytes/) })
  })

  it('round-trips what the encoder (the lab routers) builds', () => {
    const packet = encodeMndp({
      sequence: 3, mac: '48:A9:8A:01:02:00', identity: 'edge-1', version: '7.18.2 (stable)', platform: 'MikroTik',
      uptime: 123456, software_id: 'ABCD-EFGH', board: 'RB5009UG+S+', interface_name: 'ether1', ipv4: '127.0.0.1',
      extra: [{ type: 0xf001, value: Uint8Array.of(0x22, 0x38) }],
    })
    expect(decodeMndp(packet)).toMatchObject({
      kind: 'announcement',
      announcement: { sequence: 3, mac: '48:A9:8A:01:02:00', identity: 'edge-1', uptime: 123456, ipv4: '127.0.0.1', unknown_tlvs: [{ type: 0xf001, hex: '2238' }] },
    })
  })

  it('never throws on random or mutated packets, and says each is garbage or decoded', () => {
    const random = seededRandom(11)
    const counts = { announcement: 0, refresh: 0, garbage: 0 }
    for (let round = 0; round < 20_000; round++) {
      let packet: Uint8Array
      if (round % 2 === 0) {
        packet = Uint8Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * 256))
      } else {
        packet = Uint8Array.from(capturedFormat)
        for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) packet[Math.floor(random() * packet.length)] = Math.floor(random() * 256)
        packet = packet.subarray(0, Math.floor(random() * (packet.length + 1)))
      }
      counts[decodeMndp(packet).kind]++
    }
    expect(counts.announcement + counts.refresh + counts.garbage).toBe(20_000)
    expect(counts.garbage).toBeGreaterThan(0)
    expect(counts.announcement).toBeGreaterThan(0)
  })
})
