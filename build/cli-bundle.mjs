// Builds the `fieldjobs` CLI into plain JavaScript: out/cli/fieldjobs.mjs plus one chunk per lazily
// loaded command (esbuild code splitting), so a start no longer compiles TypeScript through tsx and
// `fieldjobs job list` still never loads the lab, the UI server or the cloud client.
//
//   node build/cli-bundle.mjs [--root DIR] [--outdir DIR]
//
// Run by `npm run build` and by `prepare` (so `npm ci` leaves a built CLI). Plain .mjs on purpose:
// `prepare` runs before anything else is built. Beside the bundle it writes sources.json, the
// checkout files the bundle was made from: bin/fieldjobs.js compares their times with the bundle's
// and runs from source when one is newer, so an edited checkout never runs a stale build silently.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'

/** Stay in node_modules, loaded by Node at run time rather than copied into the bundle. */
const external = [
  // A native module: its .node binary is per ABI (Node here, Electron's in the package) and found by path.
  'better-sqlite3',
  // Only `fieldjobs serve` in a checkout without a built window loads it, to build one; it is build tooling.
  'electron-vite',
  'electron',
  // ws's optional native speed-ups: absent is fine, bundled they would be required eagerly.
  'bufferutil',
  'utf-8-validate',
]

export const bundleName = 'fieldjobs.mjs'

/** Builds the CLI of the checkout at `root` into `outDir`; returns the files it was built from and esbuild's metafile. */
export async function buildCli({ root, outDir = join(root, 'out', 'cli') }) {
  // A previous build's chunks have hashed names: without a clean folder they would pile up.
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const result = await build({
    absWorkingDir: root,
    entryPoints: { fieldjobs: 'src-main/cli/entry.ts' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.11',
    external,
    // Bundled CommonJS dependencies (ws, node-routeros, iconv-lite) call require() for Node's own
    // modules, which an ES module does not have: give each output file one.
    banner: { js: "import { createRequire as __fieldjobsCreateRequire } from 'node:module'; const require = __fieldjobsCreateRequire(import.meta.url);" },
    // Start-up time is mostly V8 reading the code: minified, `site list` parses about a fifth as much.
    // Errors name themselves (`override name = ...`), so no class relies on its minified name; stack
    // traces point into the TypeScript when Node runs with --enable-source-maps.
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  })
  // Only the checkout's own files: dependencies change through npm, which runs `prepare` again.
  const sources = Object.keys(result.metafile.inputs)
    .filter((input) => !input.startsWith('node_modules/') && !input.includes('/node_modules/') && !isAbsolute(input))
    .sort()
  writeFileSync(join(outDir, 'sources.json'), `${JSON.stringify({ bundle: bundleName, sources }, null, 1)}\n`)
  return { outDir, sources, metafile: result.metafile }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { root: { type: 'string' }, outdir: { type: 'string' } } })
  const root = resolve(values.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'))
  const started = performance.now()
  const { outDir, sources } = await buildCli({ root, outDir: values.outdir && resolve(values.outdir) })
  console.log(`built the fieldjobs CLI into ${relative(process.cwd(), outDir) || '.'} from ${sources.length} files in ${Math.round(performance.now() - started)} ms`)
}
