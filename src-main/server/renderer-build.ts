// Where `fieldjobs serve` finds the built window: out/renderer beside the running CLI bundle
// (out/cli in a checkout, app.asar.unpacked/out/cli in the package, where electron-builder.yml
// unpacks both), else <checkout>/out/renderer, made by `npm run build`. In a checkout without a
// build it is built once with electron-vite's build API (a few seconds), so a fresh checkout needs
// no extra step; a failed build says to run `npm run build` and why.
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The nearest folder from `start` upwards that `matches`, or undefined at the file system's root. */
function nearestAncestor<T>(start: string, matches: (folder: string) => T | undefined): T | undefined {
  for (let folder = start; ; folder = dirname(folder)) {
    const found = matches(folder)
    if (found !== undefined) return found
    if (dirname(folder) === folder) return undefined
  }
}

/** The checkout's root: the nearest folder above this file with Fieldjobs' package.json. */
export function findProjectRoot(start = dirname(fileURLToPath(import.meta.url))): string | undefined {
  return nearestAncestor(start, (folder) => {
    const manifest = join(folder, 'package.json')
    if (!existsSync(manifest)) return undefined
    try {
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'fieldjobs' ? folder : undefined
    } catch {
      return undefined // Not ours; keep climbing.
    }
  })
}

const rendererIndex = (rendererDir: string) => join(rendererDir, 'index.html')

/**
 * The built window beside a built CLI: the `out` folder above this file (out/cli/chunks/*.mjs)
 * holding renderer/index.html. Undefined when running from sources (tsx), which have no `out` above.
 */
export function findRendererBesideCli(start = dirname(fileURLToPath(import.meta.url))): string | undefined {
  return nearestAncestor(start, (folder) =>
    basename(folder) === 'out' && existsSync(rendererIndex(join(folder, 'renderer'))) ? join(folder, 'renderer') : undefined,
  )
}

/**
 * Builds main, preload and renderer with the project's electron.vite.config.ts into `outDir`
 * (default <root>/out), returning the renderer folder.
 */
export async function buildRenderer(root: string, outDir = join(root, 'out')): Promise<string> {
  const { build } = await import('electron-vite')
  await build({ root, configFile: join(root, 'electron.vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'warn' })
  return join(outDir, 'renderer')
}

export interface EnsureOptions {
  root?: string
  /** Told before a build starts, since it takes a few seconds. */
  onBuild?(message: string): void
}

/** The built renderer folder, building it first if there is none. */
export async function ensureRendererBuilt(options: EnsureOptions = {}): Promise<string> {
  const beside = options.root ? undefined : findRendererBesideCli()
  if (beside) return beside
  const root = options.root ?? findProjectRoot()
  if (!root) {
    throw new Error('this Fieldjobs has no built window to serve (no out/renderer beside the CLI, no checkout above it): open the Fieldjobs app, serve the API only with --no-window, or run `npm run build` in a checkout')
  }
  const rendererDir = join(root, 'out', 'renderer')
  if (existsSync(rendererIndex(rendererDir))) return rendererDir
  options.onBuild?.(`no built window in ${rendererDir}: building it now (this is what \`npm run build\` does)\n`)
  try {
    await buildRenderer(root)
  } catch (error) {
    throw new Error(`building the window failed (${(error as Error).message.split('\n')[0]}): run \`npm run build\` in ${root} and look at its output`)
  }
  if (!existsSync(rendererIndex(rendererDir))) throw new Error(`the build made no ${rendererIndex(rendererDir)}: run \`npm run build\` in ${root}`)
  return rendererDir
}
