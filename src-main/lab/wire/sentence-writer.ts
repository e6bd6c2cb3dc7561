// Encodes sentences for the wire: each word's length prefix and bytes, then the closing 0x00.
// Words are byte strings (latin1), so a stored CP1251 or UTF-8 value goes out byte for byte.
import { lengthPrefixSize, writeLengthPrefix } from './length'

export function encodeSentence(words: readonly string[]): Buffer {
  let size = 1
  for (const word of words) {
    // latin1 byte length equals the string length: one char per byte.
    size += lengthPrefixSize(word.length) + word.length
  }
  const out = Buffer.allocUnsafe(size)
  let offset = 0
  for (const word of words) {
    offset = writeLengthPrefix(word.length, out, offset)
    offset += out.write(word, offset, 'latin1')
  }
  out[offset] = 0
  return out
}

export function encodeSentences(sentences: readonly (readonly string[])[]): Buffer {
  return Buffer.concat(sentences.map(encodeSentence))
}
