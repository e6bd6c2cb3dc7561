// The built CLI (build/cli-bundle.mjs -> out/cli) and how bin/fieldjobs.js chooses between it and
// the TypeScript through tsx. Each case runs the real bin in a folder laid out like a checkout (the
// bin, package.json, node_modules, and what the case needs of src-main and out/cli), never the
// checkout's own out/cli, which other test files' processes may be running.
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error a plain .mjs build script without types
import { buildCli } from '../../build/cli-bundle.mjs'
import { repoRoot } from '../support/repo-root'
import { tempDataDir } from '../support/temp-core'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
const run = promisify(execFile)

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, { bytesInOutput: number }> }>
}

/** A folder laid out like a checkout, with `parts` of it. */
function checkout(parts: { sources?: 'link' | 'copy'; built?: string }): string {
  const root = tempDir('fieldjobs-built-cli-')
  mkdirSync(join(root, 'bin'))
  cpSync(join(repoRoot, 'bin/fieldjobs.js'), join(root, 'bin/fieldjobs.js'))
  cpSync(join(repoRoot, 'package.json'), join(root, 'package.json'))
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'))
  if (parts.sources === 'link') symlinkSync(join(repoRoot, 'src-main'), join(root, 'src-main'))
  if (parts.sources === 'copy') cpSync(join(repoRoot, 'src-main'), join(root, 'src-main'), { recursive: true })
  if (parts.built) cpSync(parts.built, join(root, 'out/cli'), { recursive: true })
  return root
}

async function fieldjobs(root: string, args: string[]) {
  const dataDir = tempDir('fieldjobs-built-cli-data-')
  const env = { ...process.env, FIELDJOBS_SECRET_STORE: 'keyfile', LAB_PASSWORD: 'x' }
  const bin = join(root, 'bin/fieldjobs.js')
  await run(process.execPath, [bin, 'site', 'add', '--name', 'branch', '--host', '10.0.0.1', '--user', 'admin', '--password-env', 'LAB_PASSWORD', '--no-check', '--data-dir', dataDir], { env })
  return run(process.execPath, [bin, ...args, '--data-dir', dataDir], { env })
}

// One build for the file, copied into each case's folder (after its sources, so it is the newer).
let built: string
let metafile: Metafile
beforeAll(async () => {
  const folder = tempDataDir('fieldjobs-cli-build-')
  built = join(folder, 'cli')
  ;({ metafile } = (await buildCli({ root: repoRoot, outDir: built })) as { metafile: Metafile })
  return () => rmSync(folder, { recursive: true, force: true })
}, 60_000)

describe('bin/fieldjobs.js', () => {
  it('runs the build when there is one (here there are no sources, as in the packaged app)', async () => {
    const root = checkout({ built })
    const { stdout, stderr } = await fieldjobs(root, ['site', 'list', '--json'])
    expect(JSON.parse(stdout)).toMatchObject([{ name: 'branch', host: '10.0.0.1' }])
    expect(stderr).toBe('')
  })

  it('runs the build when no source is newer than it', async () => {
    const root = checkout({ sources: 'copy', built })
    const { stdout, stderr } = await fieldjobs(root, ['site', 'list'])
    expect(stdout).toContain('branch\t10.0.0.1:8728')
    expect(stderr).toBe('')
  })

  it('without a build, runs the TypeScript through tsx and says so in one line', async () => {
    const root = checkout({ sources: 'link' })
    const { stdout, stderr } = await fieldjobs(root, ['site', 'list', '--json'])
    expect(JSON.parse(stdout)).toMatchObject([{ name: 'branch' }])
    expect(stderr).toBe('fieldjobs: no built CLI in out/cli: running the TypeScript through tsx (slower start); `npm run build:cli` builds it\n')
  })

  it('never runs a build older than a source it was made from', async () => {
    const root = checkout({ sources: 'copy', built })
    const later = new Date(Date.now() + 60_000)
    // What a new migration does to its list, or an edit to any command.
    writeFileSync(join(root, 'src-main/core/store/migrations/index.ts'), `${'// edited\n'}`, { flag: 'a' })
    utimesSync(join(root, 'src-main/core/store/migrations/index.ts'), later, later)
    const { stdout, stderr } = await fieldjobs(root, ['site', 'list', '--json'])
    expect(JSON.parse(stdout)).toMatchObject([{ name: 'branch' }])
    expect(stderr).toBe(
      'fieldjobs: the built CLI in out/cli is older than src-main/core/store/migrations/index.ts: running the TypeScript through tsx (slower start); `npm run build:cli` builds it\n',
    )
  })
})

describe('the build', () => {
  /** Every output file `output` loads before it runs, following static imports only. */
  function loadedWith(output: string): Set<string> {
    const seen = new Set([output])
    for (const file of seen) {
      for (const imported of metafile.outputs[file]!.imports) if (!imported.external && imported.kind === 'import-statement') seen.add(imported.path)
    }
    return seen
  }
  const outputOf = (input: string) => Object.keys(metafile.outputs).find((file) => !file.endsWith('.map') && input in metafile.outputs[file]!.inputs)!
  const inputsOf = (outputs: Set<string>) => [...outputs].flatMap((file) => Object.keys(metafile.outputs[file]!.inputs))

  it('loads commands lazily: the entry loads no command, and `site` none of lab, server, cloud or RouterOS client', () => {
    const entry = inputsOf(loadedWith(outputOf('src-main/cli/entry.ts')))
    expect(entry.filter((input) => input.startsWith('src-main/cli/commands/'))).toEqual([])
    expect(entry.some((input) => input.includes('zod'))).toBe(false)
    const site = inputsOf(loadedWith(outputOf('src-main/cli/commands/site.ts')))
    expect(site.filter((input) => /^src-main\/(lab|server|core\/cloud|core\/routeros\/router-client)/.test(input))).toEqual([])
    // Each command is its own chunk, loaded by the entry's dynamic import.
    expect(outputOf('src-main/cli/commands/lab.ts')).not.toBe(outputOf('src-main/cli/commands/site.ts'))
  })

  it('carries only the parts of zod the schemas use (the whole namespace cost `site list` about 40 ms to load)', () => {
    // `import { z } from 'zod'` names zod's namespace object, which holds every schema kind, so esbuild
    // must keep all 460 KB of it; `import * as z from 'zod'` lets it drop the kinds no schema uses.
    const zodBytes = [...loadedWith(outputOf('src-main/core/app/fieldjobs-core.ts'))]
      .flatMap((file) => Object.entries(metafile.outputs[file]!.inputs))
      .filter(([input]) => input.includes('node_modules/zod/'))
      .reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0)
    expect(zodBytes).toBeGreaterThan(0)
    expect(zodBytes).toBeLessThan(200_000)
  })

  /**
   * The checkout files and packages behind every chunk `args` really loaded (dynamic imports
   * included), on a data dir with the site `branch`; SCRIPT in `args` names a one-line script.
   */
  async function inputsLoadedBy(args: string[]): Promise<string[]> {
    const root = checkout({ built })
    const dataDir = tempDir('fieldjobs-built-cli-loads-')
    const record = join(dataDir, 'loaded.txt')
    writeFileSync(record, '')
    writeFileSync(join(dataDir, 'change.rsc'), '/ip address add address=10.10.10.1/24 interface=ether2\n')
    const env = { ...process.env, FIELDJOBS_SECRET_STORE: 'keyfile', LAB_PASSWORD: 'x' }
    const outCli = join(root, 'out/cli')
    await run(process.execPath, [join(root, 'bin/fieldjobs.js'), 'site', 'add', '--name', 'branch', '--host', '10.0.0.1', '--user', 'admin', '--password-env', 'LAB_PASSWORD', '--no-check', '--data-dir', dataDir], { env })
    const recorder = pathToFileURL(join(repoRoot, 'test/support/record-loads.mjs')).href
    const command = args.map((arg) => arg.replace('SCRIPT', join(dataDir, 'change.rsc')))
    await run(process.execPath, ['--import', recorder, join(outCli, 'fieldjobs.mjs'), ...command, '--data-dir', dataDir], { env: { ...env, RECORD_LOADS_TO: record } })
    const chunks = new Set(readFileSync(record, 'utf8').split('\n').filter((url) => url.startsWith(pathToFileURL(outCli).href)).map((url) => basename(url)))
    expect(chunks.size).toBeGreaterThan(1)
    return Object.entries(metafile.outputs)
      .filter(([file]) => chunks.has(basename(file)))
      .flatMap(([, output]) => Object.keys(output.inputs))
  }

  // Loading zod and building the schemas was about 30 ms of `site list` (npm run bench -- cli); the
  // RouterOS client with its code page tables about 50 ms of `backup list`. A read needs neither.
  it.each(['site list', 'job list', 'job list --status failed', 'backup list'])(
    '`%s` loads no zod, RouterOS client, diff library, queue engine or job service',
    async (command) => {
      const inputs = await inputsLoadedBy(command.split(' '))
      expect(inputs).toContain('src-main/core/app/fieldjobs-stores.ts')
      const heavy = inputs.filter((input) =>
        /node_modules\/(zod|diff|node-routeros|iconv-lite)\/|^src-main\/core\/(queue\/queue-engine|jobs\/job-service|routeros\/router-client)/.test(input),
      )
      expect(heavy).toEqual([])
    },
  )

  // The lint builds a lab router; the lab's servers and iconv-lite's half megabyte of tables (about
  // 16 ms of each create) are no part of it.
  it('`job create` lints and validates without the lab servers, the RouterOS client or iconv-lite', async () => {
    const inputs = await inputsLoadedBy(['job', 'create', '--site', 'branch', '--description', 'a change', '--script', 'SCRIPT'])
    expect(inputs).toContain('src-main/lint/script-lint.ts')
    expect(inputs).toContain('src-main/core/jobs/job-service.ts')
    expect(inputs.filter((input) => /node_modules\/(iconv-lite|node-routeros)\/|^src-main\/(lab\/(server|lab)\.ts|core\/routeros\/router-client)/.test(input))).toEqual([])
  })

  it('keeps better-sqlite3 out of the bundle, for Node or Electron to load its native binary', () => {
    const inputs = Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs))
    expect(inputs.some((input) => input.includes('better-sqlite3'))).toBe(false)
    // database.ts requires it at run time (a require, not an import: see there), from node_modules.
    const code = Object.keys(metafile.outputs)
      .filter((file) => file.endsWith('.mjs'))
      .map((file) => readFileSync(join(repoRoot, file), 'utf8'))
      .join('\n')
    expect(code).toMatch(/\("better-sqlite3"\)/)
  })
})
