// The lab keeps text as byte strings (latin1: one JS char per byte, see contract.ts). These helpers
// turn human text into the bytes a given client would have stored: WinBox writes the PC's code page
// (CP1251, CP1252), newer tools write UTF-8. The two code pages are tables here rather than
// iconv-lite: `fieldjobs job create` lints through a lab router, and iconv-lite with its tables was
// half a megabyte of code for every create to load. test/lab/router/text.test.ts checks every byte
// against iconv-lite.

export type LabTextEncoding = 'utf-8' | 'cp1251' | 'cp1252' | 'latin1'

/** Bytes 0x80-0xFF of each code page (0x00-0x7F are ASCII); U+FFFD where the code page has no character. */
const upperHalves = {
  cp1251:
    '\u0402\u0403\u201A\u0453\u201E\u2026\u2020\u2021\u20AC\u2030\u0409\u2039\u040A\u040C\u040B\u040F' +
    '\u0452\u2018\u2019\u201C\u201D\u2022\u2013\u2014\uFFFD\u2122\u0459\u203A\u045A\u045C\u045B\u045F' +
    '\u00A0\u040E\u045E\u0408\u00A4\u0490\u00A6\u00A7\u0401\u00A9\u0404\u00AB\u00AC\u00AD\u00AE\u0407' +
    '\u00B0\u00B1\u0406\u0456\u0491\u00B5\u00B6\u00B7\u0451\u2116\u0454\u00BB\u0458\u0405\u0455\u0457' +
    '\u0410\u0411\u0412\u0413\u0414\u0415\u0416\u0417\u0418\u0419\u041A\u041B\u041C\u041D\u041E\u041F' +
    '\u0420\u0421\u0422\u0423\u0424\u0425\u0426\u0427\u0428\u0429\u042A\u042B\u042C\u042D\u042E\u042F' +
    '\u0430\u0431\u0432\u0433\u0434\u0435\u0436\u0437\u0438\u0439\u043A\u043B\u043C\u043D\u043E\u043F' +
    '\u0440\u0441\u0442\u0443\u0444\u0445\u0446\u0447\u0448\u0449\u044A\u044B\u044C\u044D\u044E\u044F',
  cp1252:
    '\u20AC\uFFFD\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\uFFFD\u017D\uFFFD' +
    '\uFFFD\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\uFFFD\u017E\u0178' +
    '\u00A0\u00A1\u00A2\u00A3\u00A4\u00A5\u00A6\u00A7\u00A8\u00A9\u00AA\u00AB\u00AC\u00AD\u00AE\u00AF' +
    '\u00B0\u00B1\u00B2\u00B3\u00B4\u00B5\u00B6\u00B7\u00B8\u00B9\u00BA\u00BB\u00BC\u00BD\u00BE\u00BF' +
    '\u00C0\u00C1\u00C2\u00C3\u00C4\u00C5\u00C6\u00C7\u00C8\u00C9\u00CA\u00CB\u00CC\u00CD\u00CE\u00CF' +
    '\u00D0\u00D1\u00D2\u00D3\u00D4\u00D5\u00D6\u00D7\u00D8\u00D9\u00DA\u00DB\u00DC\u00DD\u00DE\u00DF' +
    '\u00E0\u00E1\u00E2\u00E3\u00E4\u00E5\u00E6\u00E7\u00E8\u00E9\u00EA\u00EB\u00EC\u00ED\u00EE\u00EF' +
    '\u00F0\u00F1\u00F2\u00F3\u00F4\u00F5\u00F6\u00F7\u00F8\u00F9\u00FA\u00FB\u00FC\u00FD\u00FE\u00FF',
} as const

type CodePage = keyof typeof upperHalves

const encoders = new Map<CodePage, Map<string, number>>()

function encoderFor(codePage: CodePage): Map<string, number> {
  let encoder = encoders.get(codePage)
  if (!encoder) {
    encoder = new Map()
    for (const [index, character] of [...upperHalves[codePage]].entries()) if (character !== '\uFFFD') encoder.set(character, 0x80 + index)
    encoders.set(codePage, encoder)
  }
  return encoder
}

/** A character the encoding lacks becomes `?`, one per UTF-16 unit (an emoji is `??`), as iconv-lite writes it. */
const UNMAPPABLE = '?'

/** Encodes human text into a byte string in the given encoding. */
export function toByteString(text: string, encoding: LabTextEncoding = 'utf-8'): string {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8').toString('latin1')
  if (encoding === 'latin1') return text.split('').map((unit) => (unit.charCodeAt(0) <= 0xff ? unit : UNMAPPABLE)).join('')
  const encoder = encoderFor(encoding)
  return text.split('').map((unit) => {
    if (unit.charCodeAt(0) < 0x80) return unit
    const byte = encoder.get(unit)
    return byte === undefined ? UNMAPPABLE : String.fromCharCode(byte)
  }).join('')
}

/** Decodes a byte string back into human text (tests and debugging only: the lab never decodes). */
export function fromByteString(bytes: string, encoding: LabTextEncoding = 'utf-8'): string {
  if (encoding === 'utf-8') return Buffer.from(bytes, 'latin1').toString('utf8')
  if (encoding === 'latin1') return bytes
  const upper = upperHalves[encoding]
  return Array.from(bytes, (character) => {
    const byte = character.charCodeAt(0)
    return byte < 0x80 ? character : upper[byte - 0x80]
  }).join('')
}
