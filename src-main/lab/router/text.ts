// The lab keeps text as byte strings (latin1: one JS char per byte, see contract.ts). These helpers
// turn human text into the bytes a given client would have stored: WinBox writes the PC's code page
// (CP1251, CP1252), newer tools write UTF-8.
import iconv from 'iconv-lite'

export type LabTextEncoding = 'utf-8' | 'cp1251' | 'cp1252' | 'latin1'

/** Encodes human text into a byte string in the given encoding. */
export function toByteString(text: string, encoding: LabTextEncoding = 'utf-8'): string {
  return iconv.encode(text, encoding).toString('latin1')
}

/** Decodes a byte string back into human text (tests and debugging only: the lab never decodes). */
export function fromByteString(bytes: string, encoding: LabTextEncoding = 'utf-8'): string {
  return iconv.decode(Buffer.from(bytes, 'latin1'), encoding)
}
