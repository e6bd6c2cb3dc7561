import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importsOf, repoRoot, sourceFiles } from '../../support/source-imports'

const ROOT = join(repoRoot, 'src-main/lab/router')

describe('lab router boundary', () => {
  it('imports no electron, react or DOM code', () => {
    const offenders = sourceFiles(ROOT).filter((file) => importsOf(file).some((spec) => /^(electron|react|react-dom)(\/|$)/.test(spec)))
    expect(offenders).toEqual([])
  })
})
