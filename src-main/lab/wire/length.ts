// The RouterOS API length prefix: 1 to 5 bytes, big-endian, the width encoded in the high bits of
// the first byte (API manual, "API words"). Lengths count bytes, never characters.
import { WireProtocolError } from './errors'

/** The largest length a prefix can carry (5-byte form: 0xF0 then a uint32). */
export const MAX_WORD_LENGTH = 0xffffffff

/** How many bytes the prefix for `length` takes. */
export function lengthPrefixSize(length: number): 1 | 2 | 3 | 4 | 5 {
  if (!Number.isInteger(length) || length < 0 || length > MAX_WORD_LENGTH) {
    throw new RangeError(`word length out of range: ${length}`)
  }
  if (length < 0x80) return 1
  if (length < 0x4000) return 2
  if (length < 0x200000) return 3
  if (length < 0x10000000) return 4
  return 5
}

/** Writes the prefix for `length` into `target` at `offset`; returns the offset after it. */
export function writeLengthPrefix(length: number, target: Uint8Array, offset: number): number {
  const size = lengthPrefixSize(length)
  switch (size) {
    case 1:
      target[offset] = length
      return offset + 1
    case 2:
      target[offset] = (length >>> 8) | 0x80
      target[offset + 1] = length & 0xff
      return offset + 2
    case 3:
      target[offset] = (length >>> 16) | 0xc0
      target[offset + 1] = (length >>> 8) & 0xff
      target[offset + 2] = length & 0xff
      return offset + 3
    case 4:
      target[offset] = (length >>> 24) | 0xe0
      target[offset + 1] = (length >>> 16) & 0xff
      target[offset + 2] = (length >>> 8) & 0xff
      target[offset + 3] = length & 0xff
      return offset + 4
    case 5:
      target[offset] = 0xf0
      target[offset + 1] = (length >>> 24) & 0xff
      target[offset + 2] = (length >>> 16) & 0xff
      target[offset + 3] = (length >>> 8) & 0xff
      target[offset + 4] = length & 0xff
      return offset + 5
  }
}

export function encodeLength(length: number): Buffer {
  const out = Buffer.alloc(lengthPrefixSize(length))
  writeLengthPrefix(length, out, 0)
  return out
}

/**
 * How many prefix bytes follow from the first one. Important: a first byte >= 0xF8 is a reserved
 * control byte; reading it as a length would desynchronise the stream, so it is a protocol error.
 */
export function prefixSizeFromFirstByte(first: number): 1 | 2 | 3 | 4 | 5 {
  if (first < 0x80) return 1
  if (first < 0xc0) return 2
  if (first < 0xe0) return 3
  if (first < 0xf0) return 4
  if (first < 0xf8) return 5
  throw new WireProtocolError(`reserved control byte 0x${first.toString(16)} where a length was expected`)
}

/** Decodes a complete prefix (exactly prefixSizeFromFirstByte(bytes[0]) bytes long). */
export function decodeLengthPrefix(bytes: ArrayLike<number>): number {
  const size = prefixSizeFromFirstByte(bytes[0])
  if (bytes.length < size) throw new RangeError(`length prefix needs ${size} bytes, got ${bytes.length}`)
  switch (size) {
    case 1:
      return bytes[0]
    case 2:
      return ((bytes[0] & 0x3f) << 8) | bytes[1]
    case 3:
      return ((bytes[0] & 0x1f) << 16) | (bytes[1] << 8) | bytes[2]
    case 4:
      // `* 2 ** 24` rather than `<< 24` keeps the result a positive number.
      return (bytes[0] & 0x0f) * 2 ** 24 + ((bytes[1] << 16) | (bytes[2] << 8) | bytes[3])
    case 5:
      return bytes[1] * 2 ** 24 + ((bytes[2] << 16) | (bytes[3] << 8) | bytes[4])
  }
}
