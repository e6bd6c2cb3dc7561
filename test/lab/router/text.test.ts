// The lab's own code page tables (lab/router/text.ts) against iconv-lite, which the lab used before
// and which the RouterOS client still decodes with: every byte, and text each way.
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { fromByteString, type LabTextEncoding, toByteString } from '../../../src-main/lab/router/text'

const encodings: LabTextEncoding[] = ['utf-8', 'cp1251', 'cp1252', 'latin1']
const samples = [
  'plain ascii',
  'Склад',
  'Ключевой маршрутизатор №1',
  'Café Zürich – €5 “quoted” ™',
  'žluťoučký kůň',
  '日本語',
  'router 🚀 2',
  '\u0081\u008d\u00ad\u00a0',
]

describe('lab text encodings', () => {
  it.each(encodings)('%s: encodes as iconv-lite does, unmappable characters as ?', (encoding) => {
    for (const text of samples) expect(toByteString(text, encoding), text).toBe(iconv.encode(text, encoding).toString('latin1'))
  })

  it.each(['cp1251', 'cp1252'] as const)('%s: decodes each of the 256 bytes as iconv-lite does', (encoding) => {
    for (let byte = 0; byte < 256; byte++) {
      const bytes = String.fromCharCode(byte)
      expect(fromByteString(bytes, encoding), `byte ${byte}`).toBe(iconv.decode(Buffer.from(bytes, 'latin1'), encoding))
    }
  })

  it.each(encodings)('%s: text the code page holds comes back unchanged', (encoding) => {
    const text = { 'utf-8': 'Склад 日本 🚀', cp1251: 'Склад №1', cp1252: 'Café – “x” €', latin1: 'Café Zürich' }[encoding]
    expect(fromByteString(toByteString(text, encoding), encoding)).toBe(text)
  })
})
