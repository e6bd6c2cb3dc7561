import { describe, expect, it } from 'vitest'
import { WireProtocolError } from '../../src-main/lab/wire/errors'
import { SentenceReader } from '../../src-main/lab/wire/sentence-reader'
import { encodeSentence, encodeSentences } from '../../src-main/lab/wire/sentence-writer'
import { classifyWord, parseRequest } from '../../src-main/lab/wire/words'
import { rawParse, rawSentence } from './raw-client'

describe('sentence writer', () => {
  it('matches the independent encoder, for every prefix width up to 4 bytes', () => {
    for (const size of [0, 1, 0x7f, 0x80, 200, 0x3fff, 0x4000, 0x200000]) {
      const words = ['/x', 'a'.repeat(size)].filter((word) => word.length > 0)
      expect(encodeSentence(words).equals(rawSentence(...words))).toBe(true)
    }
  })

  it('writes bytes, not characters: latin1 byte strings go out one byte per char', () => {
    const cp1251 = Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]).toString('latin1') // "Привет" in CP1251
    const utf8 = Buffer.from('Привет', 'utf8').toString('latin1')
    const bytes = encodeSentence(['!re', `=comment=${cp1251}`, `=name=${utf8}`])
    expect(rawParse(bytes).sentences).toEqual([['!re', `=comment=${cp1251}`, `=name=${utf8}`]])
    expect(bytes.includes(Buffer.from('Привет', 'utf8'))).toBe(true)
  })

  it('an empty sentence is a single zero byte', () => {
    expect(encodeSentence([]).toString('hex')).toBe('00')
  })
})

describe('sentence reader', () => {
  const stream = encodeSentences([
    ['/login', '=name=admin', '=password=p=w', '.tag=1'],
    ['/ip/address/print', '?type=ether', `=comment=${'x'.repeat(300)}`],
    [],
    ['/quit'],
  ])
  const expected = [
    ['/login', '=name=admin', '=password=p=w', '.tag=1'],
    ['/ip/address/print', '?type=ether', `=comment=${'x'.repeat(300)}`],
    [],
    ['/quit'],
  ]

  it('reads sentences coalesced in one segment', () => {
    expect(new SentenceReader().push(stream)).toEqual(expected)
  })

  it('reads the same sentences when the stream is split at every byte offset', () => {
    for (let split = 1; split < stream.length; split++) {
      const reader = new SentenceReader()
      const sentences = [...reader.push(stream.subarray(0, split)), ...reader.push(stream.subarray(split))]
      expect(sentences, `split at ${split}`).toEqual(expected)
    }
  })

  it('reads a stream delivered one byte at a time, the final 0x00 alone', () => {
    const reader = new SentenceReader()
    const sentences = []
    for (const byte of stream) sentences.push(...reader.push(Uint8Array.of(byte)))
    expect(sentences).toEqual(expected)
    expect(reader.midSentence).toBe(false)
  })

  it('holds a sentence until its closing 0x00 arrives in its own segment', () => {
    const bytes = rawSentence('/system/identity/print')
    const reader = new SentenceReader()
    expect(reader.push(bytes.subarray(0, bytes.length - 1))).toEqual([])
    expect(reader.midSentence).toBe(true)
    expect(reader.push(bytes.subarray(bytes.length - 1))).toEqual([['/system/identity/print']])
  })

  it('reads words with 3- and 4-byte prefixes', () => {
    const big = 'b'.repeat(0x200000)
    const mid = 'm'.repeat(0x4000)
    const bytes = rawSentence('/x', `=${mid}`, `=${big}`)
    const reader = new SentenceReader()
    const sentences = [...reader.push(bytes.subarray(0, 7)), ...reader.push(bytes.subarray(7))]
    expect(sentences).toEqual([['/x', `=${mid}`, `=${big}`]])
  })

  it('decodes a 5-byte prefix and refuses the word when it exceeds the size limit', () => {
    const reader = new SentenceReader({ maxWordBytes: 1024 })
    expect(() => reader.push(Buffer.from('f010000000', 'hex'))).toThrow(/268435456 bytes/)
  })

  it('treats a reserved control byte as a protocol error and stays failed', () => {
    const reader = new SentenceReader()
    expect(() => reader.push(Buffer.from([0x02, 0x2f, 0x78, 0xf8]))).toThrow(WireProtocolError)
    expect(() => reader.push(Buffer.from([0x00]))).toThrow(WireProtocolError)
  })
})

describe('word classification', () => {
  it('splits an attribute at the second =', () => {
    expect(classifyWord('=name=iu=c3Eeg')).toEqual({ kind: 'attribute', name: 'name', value: 'iu=c3Eeg' })
    expect(classifyWord('=comment=')).toEqual({ kind: 'attribute', name: 'comment', value: '' })
    expect(classifyWord('=as-string')).toEqual({ kind: 'attribute', name: 'as-string', value: '' })
    expect(classifyWord('=.id=*1')).toEqual({ kind: 'attribute', name: '.id', value: '*1' })
  })

  it('knows API attributes, queries and commands', () => {
    expect(classifyWord('.tag=a=b')).toEqual({ kind: 'api-attribute', name: 'tag', value: 'a=b' })
    expect(classifyWord('?type=ether')).toEqual({ kind: 'query', query: 'type=ether' })
    expect(classifyWord('?#|')).toEqual({ kind: 'query', query: '#|' })
    expect(classifyWord('/interface/vlan/print')).toEqual({ kind: 'command', command: '/interface/vlan/print' })
    expect(classifyWord('stray')).toEqual({ kind: 'unknown', word: 'stray' })
  })

  it('parses a request in order, the tag apart', () => {
    const request = parseRequest(['/interface/print', '?type=ether', '=.proplist=name,type', '?type=vlan', '?#|', '.tag=7'])
    expect(request.command).toBe('/interface/print')
    expect([...request.attributes]).toEqual([['.proplist', 'name,type']])
    expect(request.apiAttributes.get('tag')).toBe('7')
    expect(request.queries).toEqual(['type=ether', 'type=vlan', '#|'])
  })

  it('has no command when the first word is not one', () => {
    expect(parseRequest(['=name=x']).command).toBe('')
  })
})
