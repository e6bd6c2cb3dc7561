// The MikroTik Neighbor Discovery Protocol (MNDP, UDP 5678) as bytes. Sources: Wireshark's dissector
// epan/dissectors/packet-mndp.c (4-byte header: 2 bytes header/version, 2 bytes big-endian sequence;
// then TLVs of 2-byte type and 2-byte length, big-endian; uptime little-endian) and MikroTik's manual
// "Neighbor discovery" (help.mikrotik.com/docs/display/ROS/Neighbor+discovery). IPv4 (type 17) is
// newer than the Wireshark dissector; other public decoders (e.g. kevinschweikert/mndp) carry it.
// A refresh request, which makes routers announce at once, is 4 zero bytes and no TLVs.

export const MNDP_PORT = 5678

export const MNDP_TLV = {
  mac: 1,
  identity: 5,
  version: 7,
  platform: 8,
  uptime: 10,
  softwareId: 11,
  board: 12,
  unpack: 14,
  ipv6: 15,
  interfaceName: 16,
  ipv4: 17,
} as const

export interface UnknownTlv {
  readonly type: number
  /** The value's bytes as hex: kept so nothing a newer router sends is thrown away. */
  readonly hex: string
}

export interface MndpAnnouncement {
  readonly sequence: number
  readonly mac: string | null
  readonly identity: string | null
  readonly version: string | null
  readonly platform: string | null
  /** Seconds. */
  readonly uptime: number | null
  readonly software_id: string | null
  readonly board: string | null
  readonly unpack: number | null
  readonly interface_name: string | null
  readonly ipv4: string | null
  readonly ipv6: string | null
  readonly unknown_tlvs: readonly UnknownTlv[]
}

export type MndpDecodeResult =
  | { readonly kind: 'announcement'; readonly announcement: MndpAnnouncement }
  /** A client's refresh request (ours echoed back by a broadcast, or another client's). */
  | { readonly kind: 'refresh' }
  | { readonly kind: 'garbage'; readonly reason: string }

export const MNDP_REFRESH = new Uint8Array(4)

const text = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes)

function macText(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(':')
}

function ipv6Text(bytes: Uint8Array): string {
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
  return groups.join(':')
}

/** Never throws: a packet that does not parse is `garbage` with the reason, for the caller to count. */
export function decodeMndp(packet: Uint8Array): MndpDecodeResult {
  if (packet.length < 4) return { kind: 'garbage', reason: `${packet.length} bytes, shorter than the 4-byte header` }
  if (packet.length === 4) {
    return packet.every((byte) => byte === 0) ? { kind: 'refresh' } : { kind: 'garbage', reason: 'a header with no TLVs' }
  }
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength)
  const fields: Record<string, string | number | null> = {}
  const unknown: UnknownTlv[] = []
  let offset = 4
  while (offset < packet.length) {
    if (offset + 4 > packet.length) return { kind: 'garbage', reason: `truncated TLV header at byte ${offset}` }
    const type = view.getUint16(offset)
    const length = view.getUint16(offset + 2)
    const start = offset + 4
    if (start + length > packet.length) return { kind: 'garbage', reason: `TLV ${type} at byte ${offset} says ${length} bytes, ${packet.length - start} left` }
    const value = packet.subarray(start, start + length)
    offset = start + length
    switch (type) {
      case MNDP_TLV.mac:
        if (length !== 6) return { kind: 'garbage', reason: `MAC TLV of ${length} bytes, not 6` }
        fields.mac = macText(value)
        break
      case MNDP_TLV.uptime:
        if (length !== 4) return { kind: 'garbage', reason: `uptime TLV of ${length} bytes, not 4` }
        fields.uptime = view.getUint32(start, true)
        break
      case MNDP_TLV.unpack:
        fields.unpack = length >= 1 ? value[0]! : null
        break
      case MNDP_TLV.ipv4:
        if (length !== 4) return { kind: 'garbage', reason: `IPv4 TLV of ${length} bytes, not 4` }
        fields.ipv4 = [...value].join('.')
        break
      case MNDP_TLV.ipv6:
        if (length !== 16) return { kind: 'garbage', reason: `IPv6 TLV of ${length} bytes, not 16` }
        fields.ipv6 = ipv6Text(value)
        break
      case MNDP_TLV.identity: fields.identity = text(value); break
      case MNDP_TLV.version: fields.version = text(value); break
      case MNDP_TLV.platform: fields.platform = text(value); break
      case MNDP_TLV.softwareId: fields.software_id = text(value); break
      case MNDP_TLV.board: fields.board = text(value); break
      case MNDP_TLV.interfaceName: fields.interface_name = text(value); break
      default:
        unknown.push({ type, hex: Buffer.from(value).toString('hex') })
    }
  }
  const field = <T>(name: string) => (fields[name] ?? null) as T | null
  return {
    kind: 'announcement',
    announcement: {
      sequence: view.getUint16(2),
      mac: field<string>('mac'),
      identity: field<string>('identity'),
      version: field<string>('version'),
      platform: field<string>('platform'),
      uptime: field<number>('uptime'),
      software_id: field<string>('software_id'),
      board: field<string>('board'),
      unpack: field<number>('unpack'),
      interface_name: field<string>('interface_name'),
      ipv4: field<string>('ipv4'),
      ipv6: field<string>('ipv6'),
      unknown_tlvs: unknown,
    },
  }
}

export interface MndpAnnouncementInput {
  sequence?: number
  mac: string
  identity: string
  version: string
  platform: string
  uptime: number
  software_id: string
  board: string
  interface_name?: string
  ipv4?: string
  extra?: ReadonlyArray<{ type: number; value: Uint8Array }>
}

function tlv(type: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + value.length)
  const view = new DataView(out.buffer)
  view.setUint16(0, type)
  view.setUint16(2, value.length)
  out.set(value, 4)
  return out
}

/** Builds an announcement as a router sends it (the lab's routers use this). */
export function encodeMndp(input: MndpAnnouncementInput): Uint8Array {
  const utf8 = (value: string) => new TextEncoder().encode(value)
  const uptime = new Uint8Array(4)
  new DataView(uptime.buffer).setUint32(0, input.uptime >>> 0, true)
  const parts = [
    tlv(MNDP_TLV.mac, Uint8Array.from(input.mac.split(':').map((pair) => Number.parseInt(pair, 16)))),
    tlv(MNDP_TLV.identity, utf8(input.identity)),
    tlv(MNDP_TLV.version, utf8(input.version)),
    tlv(MNDP_TLV.platform, utf8(input.platform)),
    tlv(MNDP_TLV.uptime, uptime),
    tlv(MNDP_TLV.softwareId, utf8(input.software_id)),
    tlv(MNDP_TLV.board, utf8(input.board)),
    tlv(MNDP_TLV.unpack, Uint8Array.of(1)),
    ...(input.interface_name === undefined ? [] : [tlv(MNDP_TLV.interfaceName, utf8(input.interface_name))]),
    ...(input.ipv4 === undefined ? [] : [tlv(MNDP_TLV.ipv4, Uint8Array.from(input.ipv4.split('.').map(Number)))]),
    ...(input.extra ?? []).map((entry) => tlv(entry.type, entry.value)),
  ]
  const header = new Uint8Array(4)
  new DataView(header.buffer).setUint16(2, (input.sequence ?? 0) & 0xffff)
  const out = new Uint8Array(4 + parts.reduce((sum, part) => sum + part.length, 0))
  out.set(header, 0)
  let offset = 4
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
