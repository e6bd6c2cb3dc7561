// The client's framing: the manual's length vectors, and any segmentation of a reply stream.
import { describe, expect, it } from 'vitest'
import { encodeLength, encodeSentence, RouterProtocolError, SentenceDecoder } from '../../src-main/core/routeros/wire-codec'

describe('wire codec', () => {
  it.each([
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
  ])('length %i encodes as %s and decodes back', (length, hex) => {
    expect(encodeLength(length).toString('hex')).toBe(hex)
    if (length > 0x200000) return // decoding would allocate the word; the prefix is what matters
    const decoder = new SentenceDecoder()
    const word = Buffer.alloc(length, 0x61)
    const sentences = decoder.push(encodeSentence([word]))
    // One sentence of one word, byte for byte: Buffer.equals, because toEqual walks a 2 MB buffer
    // element by element (14 s for this one case).
    expect(sentences.map((words) => words.length)).toEqual([1])
    expect(sentences[0]![0]!.equals(word)).toBe(true)
  })

  it('decodes a stream split at every byte offset, and several sentences in one segment', () => {
    const sentences = [
      [Buffer.from('!re'), Buffer.from('.tag=1'), Buffer.from('=name=x'.padEnd(300, 'y'))],
      [Buffer.from('!empty'), Buffer.from('.tag=2')],
      [Buffer.from('!done'), Buffer.from('.tag=1')],
    ]
    const stream = Buffer.concat(sentences.map((words) => encodeSentence(words)))
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new SentenceDecoder()
      const got = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))]
      expect(got).toEqual(sentences)
    }
    const byteByByte = new SentenceDecoder()
    const got = [...stream].flatMap((byte) => byteByByte.push(Buffer.from([byte])))
    expect(got).toEqual(sentences)
  })

  it('a reserved control byte is a protocol error', () => {
    expect(() => new SentenceDecoder().push(Buffer.from([0xf8, 0x00]))).toThrow(RouterProtocolError)
  })
})
