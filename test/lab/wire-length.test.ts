import { describe, expect, it } from 'vitest'
import { WireProtocolError } from '../../src-main/lab/wire/errors'
import { decodeLengthPrefix, encodeLength, lengthPrefixSize, prefixSizeFromFirstByte } from '../../src-main/lab/wire/length'
import { rawLength } from './raw-client'

// The manual's table, plus the edges of every width.
const VECTORS: Array<[number, string]> = [
  [0, '00'],
  [0x05, '05'],
  [0x7f, '7f'],
  [0x80, '8080'],
  [200, '80c8'],
  [0x3fff, 'bfff'],
  [0x4000, 'c04000'],
  [0x1fffff, 'dfffff'],
  [0x200000, 'e0200000'],
  [0xfffffff, 'efffffff'],
  [0x10000000, 'f010000000'],
  [0xffffffff, 'f0ffffffff'],
]

describe('length prefix', () => {
  it.each(VECTORS)('encodes %i as %s', (length, hex) => {
    expect(encodeLength(length).toString('hex')).toBe(hex)
    expect(lengthPrefixSize(length)).toBe(hex.length / 2)
    // The test client's independent encoder agrees.
    expect(rawLength(length).toString('hex')).toBe(hex)
  })

  it.each(VECTORS)('decodes %i from %s', (length, hex) => {
    const bytes = Buffer.from(hex, 'hex')
    expect(prefixSizeFromFirstByte(bytes[0])).toBe(bytes.length)
    expect(decodeLengthPrefix(bytes)).toBe(length)
  })

  it.each([0xf8, 0xf9, 0xfc, 0xff])('rejects the reserved control byte 0x%s', (byte) => {
    expect(() => prefixSizeFromFirstByte(byte)).toThrow(WireProtocolError)
    expect(() => decodeLengthPrefix([byte, 0, 0, 0, 0])).toThrow(WireProtocolError)
  })

  it('refuses lengths no prefix can carry', () => {
    expect(() => encodeLength(-1)).toThrow(RangeError)
    expect(() => encodeLength(0x100000000)).toThrow(RangeError)
    expect(() => encodeLength(1.5)).toThrow(RangeError)
  })
})
