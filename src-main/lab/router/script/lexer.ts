// The character level of RouterOS script: line continuations, escapes, and positions.
//
// Continuations (`\` at the end of a line, then the next line's indentation) are removed before
// parsing, everywhere, including inside quoted strings: that is how RouterOS exports wrap long
// lines (`source=":put a\r\` / `    \n:put b"`). The parser works on the joined text and asks
// `positionOf` for the original line and column when it reports an error.
import type { ScriptPosition } from './errors'

export class SourceText {
  /** The script with continuations removed. */
  readonly text: string
  /** For each char of `text`, its offset in the original source. */
  private readonly origin: number[]
  private readonly lineStarts: number[]

  constructor(readonly source: string) {
    let text = ''
    const origin: number[] = []
    for (let i = 0; i < source.length; i++) {
      const char = source[i]
      if (char === '\\') {
        // An escaped backslash is two chars of text, never a continuation.
        const next = source[i + 1]
        if (next === '\\') {
          text += '\\\\'
          origin.push(i, i + 1)
          i++
          continue
        }
        const continuation = /^\\\r?\n[ \t]*/.exec(source.slice(i, i + 256))
        if (continuation) {
          i += continuation[0].length - 1
          continue
        }
      }
      text += char
      origin.push(i)
    }
    origin.push(source.length)
    this.text = text
    this.origin = origin
    this.lineStarts = [0]
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') this.lineStarts.push(i + 1)
  }

  /** 1-based line and column in the original source of an offset into `text`. */
  positionOf(offset: number): ScriptPosition {
    const original = this.origin[Math.min(offset, this.origin.length - 1)]
    let low = 0
    let high = this.lineStarts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (this.lineStarts[mid] <= original) low = mid
      else high = mid - 1
    }
    return { line: low + 1, column: original - this.lineStarts[low] + 1 }
  }
}

export const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\r'
/** RouterOS hex escapes use capital letters only, which keeps `\a` (bell) and `\b` apart from them. */
export const isHex = (char: string | undefined) => char !== undefined && /^[0-9A-F]$/.test(char)

/** Chars that end a bare word. */
export const isWordBreak = (char: string | undefined) =>
  char === undefined || /[\s;"$[\]{}()]/.test(char)

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  _: ' ',
}

/**
 * Decodes the escape at `text[at]` (the char after the backslash). Returns the decoded text and
 * how many chars it used. `\D0` style pairs are raw bytes: exports write non-ASCII that way.
 */
export function decodeEscape(text: string, at: number): { value: string; length: number } {
  const char = text[at]
  if (isHex(char) && isHex(text[at + 1])) return { value: String.fromCharCode(parseInt(text.slice(at, at + 2), 16)), length: 2 }
  if (char in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[char], length: 1 }
  return { value: char ?? '', length: 1 }
}
