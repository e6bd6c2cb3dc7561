// Where code may run, checked cheaply (like Signal Desktop's file suffix rule): the core and every
// Node-side folder import no electron, no React and use no DOM; the renderer, followed through every
// relative import, reaches no Node module. Only src-main/electron may touch Electron.
import { builtinModules } from 'node:module'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importsIn, importsOf, repoRoot as root, sourceFiles } from '../support/source-imports'

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier)
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return undefined
}

/** Every file reachable from `entries` through relative imports, with the bare imports each makes. */
function importGraph(entries: string[]) {
  const seen = new Map<string, string[]>()
  const queue = [...entries]
  while (queue.length > 0) {
    const file = queue.pop() as string
    if (seen.has(file)) continue
    const specifiers = importsOf(file)
    seen.set(file, specifiers.filter((s) => !s.startsWith('.')))
    for (const specifier of specifiers.filter((s) => s.startsWith('.'))) {
      const target = resolveRelative(file, specifier)
      if (target) queue.push(target)
    }
  }
  return seen
}

const nodeModules = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)])
const nodeOnlyPackages = ['better-sqlite3', 'node-routeros', 'ws', 'tsx', 'electron', 'iconv-lite']
const domGlobals = /\b(?:window|document|navigator|localStorage|HTMLElement)\s*[.[]/

describe('import boundaries', () => {
  const nodeSideFolders = ['core', 'contract', 'lab', 'api', 'server', 'cli'].map((folder) => join(root, 'src-main', folder))

  it('the core and the other Node-side folders import no electron, no React, and use no DOM', () => {
    const offenders: string[] = []
    const files = nodeSideFolders.flatMap(sourceFiles)
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      for (const specifier of importsOf(file)) {
        if (/^(electron|react|react-dom)(\/|$)/.test(specifier)) offenders.push(`${relative(root, file)} imports ${specifier}`)
      }
      const code = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '')
      if (domGlobals.test(code)) offenders.push(`${relative(root, file)} uses a DOM global`)
    }
    expect(offenders).toEqual([])
  })

  it('the core reaches nothing of the Electron shell, the renderer or the browser bridge', () => {
    const graph = importGraph(sourceFiles(join(root, 'src-main', 'core')))
    const outside = [...graph.keys()]
      .map((file) => relative(root, file))
      .filter((file) => !file.startsWith('src-main/core/') && !file.startsWith('src-main/contract/'))
    expect(outside).toEqual([])
  })

  it('the renderer, followed through every import, reaches no Node module', () => {
    const entries = sourceFiles(join(root, 'src-renderer'))
    const graph = importGraph(entries)
    const offenders: string[] = []
    for (const [file, bare] of graph) {
      for (const specifier of bare) {
        const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]
        if (nodeModules.has(specifier) || nodeOnlyPackages.includes(packageName as string)) {
          offenders.push(`${relative(root, file)} imports ${specifier}`)
        }
      }
      if (!file.startsWith(join(root, 'src-renderer')) && !file.startsWith(join(root, 'src-main', 'contract'))) {
        offenders.push(`${relative(root, file)} is outside the renderer and the shared contract`)
      }
    }
    expect(offenders).toEqual([])
  })

  it('catches a violation (the check itself works)', () => {
    expect(importsOf(fileURLToPath(import.meta.url))).toContain('node:module')
    const fake = "import { app } from 'electron'\nconst x = await import('node:fs')\nexport { y } from './y'"
    expect(importsIn(fake)).toEqual(['electron', 'node:fs', './y'])
    expect(importsIn("import type { A } from 'electron'\nimport { type B, c } from 'x'", { runtimeOnly: true })).toEqual(['x'])
    expect(domGlobals.test('document.querySelector("x")')).toBe(true)
  })
})
