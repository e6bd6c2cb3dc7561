import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../../../src-main/lab/router')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  )
}

describe('lab router boundary', () => {
  it('imports no electron, react or DOM code', () => {
    const offenders = sources(ROOT).filter((file) => /from ['"](electron|react|react-dom)['"/]/.test(readFileSync(file, 'utf8')))
    expect(offenders).toEqual([])
  })
})
