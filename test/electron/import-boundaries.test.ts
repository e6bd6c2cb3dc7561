// Where each of the shell's files may run: Electron is imported only by the three thin Electron
// files; the API, the bridge and the pure security modules run in plain Node; the renderer's
// transport uses browser APIs only. (The core's own boundary is checked in test/core.)
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
}

/** Module specifiers a file loads at run time (type-only imports are erased, so they do not count). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/gm)].map((m) => m[1] ?? m[2])
}

const ELECTRON_HOSTS = ['src-main/electron/main.ts', 'src-main/electron/preload.ts', 'src-main/electron/window.ts']

describe('import boundaries of the shell', () => {
  it('imports electron at run time only in main.ts, preload.ts and window.ts', () => {
    const importers = ['src-main/electron', 'src-main/api', 'src-main/server', 'src-main/cli'].flatMap(sources).filter((file) =>
      runtimeImports(file).some((spec) => spec === 'electron' || spec.startsWith('electron/')),
    )
    expect(importers.sort()).toEqual([...ELECTRON_HOSTS].sort())
  })

  it('keeps the Electron host files out of everything else', () => {
    const hosts = new Set(ELECTRON_HOSTS.map((file) => file.replace(/\.ts$/, '').split('/').pop()))
    const offenders = ['src-main/api', 'src-main/server', 'src-main/core', 'src-main/cli'].flatMap(sources).filter((file) =>
      runtimeImports(file).some((spec) => spec.includes('/electron/') && hosts.has(spec.split('/').pop())),
    )
    expect(offenders).toEqual([])
  })

  it('the renderer transport loads no Node modules and nothing from the main side but the contract', () => {
    for (const file of sources('src-renderer/src/transport')) {
      for (const spec of runtimeImports(file)) {
        expect(spec.startsWith('node:') || ['fs', 'path', 'http', 'ws', 'crypto'].includes(spec), `${file} imports ${spec}`).toBe(false)
        if (spec.includes('src-main')) expect(spec, `${file} imports ${spec}`).toMatch(/src-main\/contract\//)
      }
    }
  })
})
