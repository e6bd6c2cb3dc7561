// How text crosses the API. RouterOS stores raw bytes and declares no charset: WinBox writes the PC's
// code page (CP1252, CP1251...), newer tools write UTF-8. node-routeros hard-codes Windows-1252 both
// ways (and its iconv table even loses bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D), so this is ours:
// - reading: bytes that are valid UTF-8 are UTF-8 (ASCII included); anything else is in the site's
//   code page, `auto` meaning Windows-1252 (what WinBox on a Western PC writes).
// - writing: in the site's code page when it is a single-byte one and can hold every character;
//   otherwise UTF-8, so nothing is ever sent as `?`.
import iconv from 'iconv-lite'
import type { CodePage } from '../../contract/site-schema'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 0x7f) return false
  return true
}

/** The single-byte code page used for bytes that are not UTF-8. */
export function legacyCodePage(codePage: CodePage): string {
  return codePage === 'auto' || codePage === 'utf-8' ? 'windows-1252' : codePage
}

export function decodeRouterText(bytes: Uint8Array, codePage: CodePage): string {
  if (isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return iconv.decode(Buffer.from(bytes), legacyCodePage(codePage))
  }
}

export function encodeRouterText(text: string, codePage: CodePage): Buffer {
  // Pure ASCII is the same bytes in every code page: the common case, no table lookups.
  if (/^[\x00-\x7f]*$/.test(text)) return Buffer.from(text, 'latin1')
  if (codePage === 'auto' || codePage === 'utf-8') return Buffer.from(text, 'utf8')
  const encoded = iconv.encode(text, codePage)
  // iconv writes `?` for a character the code page lacks: then the code page cannot carry this text.
  if (iconv.decode(encoded, codePage) !== text) return Buffer.from(text, 'utf8')
  return encoded
}
