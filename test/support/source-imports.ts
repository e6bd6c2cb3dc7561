// What the source files import, read from their text: the one walker and import pattern the
// import-boundary tests share (test/architecture, test/electron, test/lab/router).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

export { repoRoot } from './repo-root'

/**
 * `import ... from 'x'` and `export ... from 'x'` (group 1: what comes between the keyword and
 * `from`, group 2: the specifier), `import 'x'` (group 3) and `import('x')` (group 4).
 */
const specifierPattern =
  /(?:^|\n)\s*(?:import|export)\s([^'"]*?)from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** Every .ts and .tsx file under `dir` (absolute paths; declaration files left out). */
export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/**
 * The module specifiers `text` imports or re-exports. With `runtimeOnly`, `import type` and
 * `export type` are left out: the build erases them, so they load nothing.
 */
export function importsIn(text: string, options: { runtimeOnly?: boolean } = {}): string[] {
  return [...text.matchAll(specifierPattern)]
    .filter((match) => !(options.runtimeOnly && match[2] !== undefined && /^\s*type\b/.test(match[1] as string)))
    .map((match) => (match[2] ?? match[3] ?? match[4]) as string)
}

export function importsOf(file: string, options: { runtimeOnly?: boolean } = {}): string[] {
  return importsIn(readFileSync(file, 'utf8'), options)
}
