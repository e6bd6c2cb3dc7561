// npm 11.16+ warns at every install about dependencies whose install scripts nobody reviewed, and
// npm 12 skips those scripts: better-sqlite3 would then install without its native binary and
// Fieldjobs would fail at its first query, long after `npm ci` said it succeeded. package.json's
// allowScripts is that review; this keeps it complete as dependencies change.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../support/repo-root'

const readJson = (file: string) => JSON.parse(readFileSync(join(repoRoot, file), 'utf8'))

describe('install scripts', () => {
  it('package.json allows or denies, by name, every locked dependency that has an install script', () => {
    const lock = readJson('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> }
    const allowScripts = (readJson('package.json') as { allowScripts?: Record<string, boolean> }).allowScripts ?? {}
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    // The native driver is the one whose script the app cannot run without.
    expect(withScripts).toContain('better-sqlite3')
    expect(withScripts.filter((name) => typeof allowScripts[name] !== 'boolean')).toEqual([])
    expect(allowScripts['better-sqlite3']).toBe(true)
  })
})
