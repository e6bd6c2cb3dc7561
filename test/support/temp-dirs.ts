// Temporary folders removed after each test. Apart from temp-core.ts because it needs vitest, and
// the benchmarks import temp-core (vitest in a benchmark process would inflate what it measures).
import { rmSync } from 'node:fs'
import { afterEach } from 'vitest'
import { tempDataDir } from './temp-core'

/**
 * Temporary folders for the tests of the calling file, each removed after its test. Call it at the
 * top of the file, before other afterEach hooks: those run first (vitest runs them last-first), so
 * whatever they close is closed before its folder goes.
 */
export function useTempDirs(): (prefix?: string) => string {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  return (prefix) => {
    const dir = tempDataDir(prefix)
    dirs.push(dir)
    return dir
  }
}
