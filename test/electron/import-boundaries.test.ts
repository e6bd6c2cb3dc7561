// Where each of the shell's files may run: Electron is imported only by the three thin Electron
// files; the API, the bridge and the pure security modules run in plain Node; the renderer's
// transport uses browser APIs only. (The core's own boundary is checked in test/core.)
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importsOf, repoRoot as root, sourceFiles } from '../support/source-imports'

/** The source files under `folder`, relative to the repository. */
const sources = (folder: string) => sourceFiles(join(root, folder)).map((file) => relative(root, file))

/** Module specifiers a file loads at run time (type-only imports are erased, so they do not count). */
const runtimeImports = (file: string) => importsOf(join(root, file), { runtimeOnly: true })

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
