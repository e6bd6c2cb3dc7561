// Incremental RouterOS API sentence reader. TCP delivers bytes in arbitrary segments: a length prefix
// or a word may be split anywhere, several sentences may share one segment, and the closing 0x00 may
// arrive alone. The reader is a small state machine over bytes, so every split works and a long word
// is copied once (no re-concatenation of pending data per segment).
import { WireProtocolError } from './errors'
import { decodeLengthPrefix, prefixSizeFromFirstByte } from './length'

/** A sentence: its words as byte strings (latin1, one JS char per byte; see router/contract.ts). */
export type Sentence = string[]

export interface SentenceReaderOptions {
  /**
   * Largest word accepted. The protocol allows 4 GiB; a lab peer refuses anything that large so a
   * garbage stream cannot make it allocate gigabytes.
   */
  maxWordBytes?: number
}

export const DEFAULT_MAX_WORD_BYTES = 16 * 1024 * 1024

export class SentenceReader {
  private readonly maxWordBytes: number
  // Prefix bytes seen so far for the word being read (at most 5).
  private readonly prefix = new Uint8Array(5)
  private prefixFilled = 0
  private prefixSize = 0
  private word: Buffer | undefined
  private wordFilled = 0
  private words: string[] = []
  private failed: WireProtocolError | undefined

  constructor(options: SentenceReaderOptions = {}) {
    this.maxWordBytes = options.maxWordBytes ?? DEFAULT_MAX_WORD_BYTES
  }

  /** True while a sentence has started but not yet been closed by its 0x00. */
  get midSentence(): boolean {
    return this.words.length > 0 || this.prefixFilled > 0 || this.word !== undefined
  }

  /**
   * Feeds one segment; returns the sentences it completed (empty sentences included, as `[]`).
   * Throws WireProtocolError on a framing error; the reader then stays failed.
   */
  push(chunk: Uint8Array): Sentence[] {
    if (this.failed) throw this.failed
    const done: Sentence[] = []
    let i = 0
    try {
      while (i < chunk.length) {
        if (this.word) {
          const take = Math.min(chunk.length - i, this.word.length - this.wordFilled)
          this.word.set(chunk.subarray(i, i + take), this.wordFilled)
          this.wordFilled += take
          i += take
          if (this.wordFilled === this.word.length) {
            this.words.push(this.word.toString('latin1'))
            this.word = undefined
          }
          continue
        }
        const byte = chunk[i++]
        if (this.prefixFilled === 0) this.prefixSize = prefixSizeFromFirstByte(byte)
        this.prefix[this.prefixFilled++] = byte
        if (this.prefixFilled < this.prefixSize) continue
        const length = decodeLengthPrefix(this.prefix.subarray(0, this.prefixSize))
        this.prefixFilled = 0
        if (length === 0) {
          done.push(this.words)
          this.words = []
        } else if (length > this.maxWordBytes) {
          throw new WireProtocolError(`word of ${length} bytes exceeds the limit of ${this.maxWordBytes}`)
        } else {
          this.word = Buffer.allocUnsafe(length)
          this.wordFilled = 0
        }
      }
    } catch (error) {
      if (error instanceof WireProtocolError) this.failed = error
      throw error
    }
    return done
  }
}
