// The API's framing on the client side: words are a length prefix plus bytes, a sentence ends with
// a zero-length word. Kept as bytes here; text decoding is the text policy's job (text-policy.ts),
// because RouterOS declares no charset and a word may be UTF-8, CP1251 or CP1252.
//
// Reuses node-routeros only where it is sound: Receiver.prototype.decodeLength is a pure function
// that reads a complete 1-5 byte prefix correctly. What node-routeros gets wrong is around it (it
// assumes a prefix and a sentence's closing 0x00 arrive in the same TCP segment as their word, and
// reads control bytes as lengths); this decoder owns that part: a byte state machine, so any
// segmentation works, including 1-byte segments and a final 0x00 alone.
import nodeRouteros from 'node-routeros'

// decodeLength is declared private in node-routeros's types, yet uses no instance state.
const decodeCompletePrefix = (nodeRouteros.Receiver.prototype as unknown as { decodeLength(data: Buffer): [number, number] })
  .decodeLength

export class RouterProtocolError extends Error {
  override name = 'RouterProtocolError'
}

/** Prefix size from the first byte; a byte >= 0xF8 is reserved (a protocol error, not a length). */
export function prefixSize(first: number): number {
  if (first < 0x80) return 1
  if (first < 0xc0) return 2
  if (first < 0xe0) return 3
  if (first < 0xf0) return 4
  if (first < 0xf8) return 5
  throw new RouterProtocolError(`reserved control byte 0x${first.toString(16)} where a word length was expected`)
}

export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  if (length < 0x4000) return Buffer.from([(length >>> 8) | 0x80, length & 0xff])
  if (length < 0x200000) return Buffer.from([(length >>> 16) | 0xc0, (length >>> 8) & 0xff, length & 0xff])
  if (length < 0x10000000) {
    return Buffer.from([((length >>> 24) & 0xff) | 0xe0, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff])
  }
  return Buffer.from([0xf0, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff])
}

/** One sentence on the wire: each word with its prefix, then the closing 0x00. */
export function encodeSentence(words: readonly Buffer[]): Buffer {
  const parts: Buffer[] = []
  for (const word of words) parts.push(encodeLength(word.length), word)
  parts.push(Buffer.from([0]))
  return Buffer.concat(parts)
}

/** Largest reply word accepted: an export of a big router is a few MB; garbage must not allocate GBs. */
const MAX_WORD_BYTES = 64 * 1024 * 1024

export class SentenceDecoder {
  private prefix = Buffer.alloc(5)
  private prefixFilled = 0
  private prefixNeeded = 0
  private word: Buffer | undefined
  private wordFilled = 0
  private words: Buffer[] = []

  /** Feeds one TCP segment; returns the sentences it completed. Throws RouterProtocolError. */
  push(chunk: Buffer): Buffer[][] {
    const sentences: Buffer[][] = []
    let i = 0
    while (i < chunk.length) {
      if (this.word) {
        const take = Math.min(chunk.length - i, this.word.length - this.wordFilled)
        chunk.copy(this.word, this.wordFilled, i, i + take)
        this.wordFilled += take
        i += take
        if (this.wordFilled === this.word.length) {
          this.words.push(this.word)
          this.word = undefined
        }
        continue
      }
      const byte = chunk[i++] as number
      if (this.prefixFilled === 0) this.prefixNeeded = prefixSize(byte)
      this.prefix[this.prefixFilled++] = byte
      if (this.prefixFilled < this.prefixNeeded) continue
      const [, length] = decodeCompletePrefix(this.prefix.subarray(0, this.prefixFilled))
      this.prefixFilled = 0
      if (length === 0) {
        sentences.push(this.words)
        this.words = []
      } else if (length < 0 || length > MAX_WORD_BYTES) {
        throw new RouterProtocolError(`a reply word of ${length} bytes is larger than any router sends`)
      } else {
        this.word = Buffer.allocUnsafe(length)
        this.wordFilled = 0
      }
    }
    return sentences
  }
}
